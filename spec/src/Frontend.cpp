#include "ioa/spec/Frontend.h"

namespace ioa {

static std::unique_ptr<Compilation> finish(std::unique_ptr<Compilation> c, bool check) {
  c->module = parseFile(c->file, *c->arena, c->diags);
  if (check) {
    c->diags.setSuppressWarnings(c->diags.hasErrors());
    c->model = checkModule(c->module, c->arena, c->diags);
    c->diags.setSuppressWarnings(false);
  }
  return c;
}

std::unique_ptr<Compilation> compileFile(const std::string& path, std::string* ioError) {
  auto c = std::make_unique<Compilation>();
  std::string err;
  c->file = c->sources.loadFile(path, err);
  if (!c->file) {
    if (ioError) *ioError = err;
    return nullptr;
  }
  return finish(std::move(c), true);
}

std::unique_ptr<Compilation> compileSource(const std::string& name, std::string text) {
  auto c = std::make_unique<Compilation>();
  c->file = c->sources.addFile(name, std::move(text));
  return finish(std::move(c), true);
}

std::unique_ptr<Compilation> parseSource(const std::string& name, std::string text) {
  auto c = std::make_unique<Compilation>();
  c->file = c->sources.addFile(name, std::move(text));
  return finish(std::move(c), false);
}

}  // namespace ioa
