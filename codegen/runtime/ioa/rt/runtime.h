// Everything generated code needs.
#pragma once

#include "ioa/rt/buffer.h"
#include "ioa/rt/checksum.h"
#include "ioa/rt/containers.h"
#include "ioa/rt/core.h"
#include "ioa/rt/layer.h"
#include "ioa/rt/trace.h"
#include "ioa/rt/wire.h"
