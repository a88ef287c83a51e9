/* The alternating bit protocol of samples/abp.ioa in Promela, for the
 * side-by-side with Spin (bench/prover). Frame and ack channels lose and
 * duplicate but do not reorder; each holds at most CHAN_BOUND items (Spin
 * needs a bound; `ioawb prove` does not). The sender sends messages
 * 0, 1, ..., NMSG-1 (then stops); the receiver asserts it delivers exactly
 * the next message, which is the reliable-channel property the ioawb proof
 * establishes for every number of messages and every queue length. */

#ifndef CHAN_BOUND
#define CHAN_BOUND 2
#endif
#ifndef NMSG
#define NMSG 4
#endif

chan s2c = [CHAN_BOUND] of { bit, byte };   /* sender -> frame channel */
chan c2r = [CHAN_BOUND] of { bit, byte };   /* frame channel -> receiver */
chan r2a = [CHAN_BOUND] of { bit };         /* receiver -> ack channel */
chan a2s = [CHAN_BOUND] of { bit };         /* ack channel -> sender */

proctype FrameChannel() {
  bit b; byte d;
end:
  do
  :: s2c?b,d ->
     if
     :: c2r!b,d                  /* deliver */
     :: skip                     /* lose */
     :: c2r!b,d; c2r!b,d         /* duplicate */
     fi
  od
}

proctype AckChannel() {
  bit b;
end:
  do
  :: r2a?b ->
     if
     :: a2s!b
     :: skip
     :: a2s!b; a2s!b
     fi
  od
}

proctype Sender() {
  bit sbit = 1; byte next = 0; bit b;
end:
  do
  :: next < NMSG -> s2c!sbit,next             /* (re)transmit the head of the queue */
  :: a2s?b ->
     if
     :: b == sbit && next < NMSG -> next++; sbit = 1 - sbit
     :: else -> skip
     fi
  od
}

proctype Receiver() {
  bit rbit = 1; byte expected = 0; bit b; byte d;
end:
  do
  :: c2r?b,d ->
     if
     :: b == rbit -> assert(d == expected); expected++; rbit = 1 - rbit
     :: else -> skip
     fi
  :: r2a!(1 - rbit)                            /* acknowledge the last frame taken */
  od
}

init {
  atomic { run FrameChannel(); run AckChannel(); run Sender(); run Receiver() }
}
