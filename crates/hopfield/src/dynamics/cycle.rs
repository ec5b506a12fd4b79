//! Cycles of synchronous dynamics, found exactly.
//!
//! In general every visited state is fingerprinted (which neurons are on, 64 to a word,
//! each word hashed with its index and the hashes XORed, so that a change costs two
//! hashes); a fingerprint seen before is confirmed by comparing the states themselves, kept
//! bit-packed. When the model can only end in a fixed point or a cycle of period two
//! ([`super::Dynamical::longest_cycle`]), the state two steps back is all there is to
//! compare with.

use std::collections::HashMap;

use crate::kernel::bits::bits_where;
use crate::random;

/// The visited states of one synchronous run.
pub(super) enum Cycles {
    /// Nothing is looked for (the run does not stop at cycles).
    Off,
    /// Period two at most: the state two steps back (the previous state of the last
    /// visit).
    TwoBack { back: Vec<i8> },
    /// Fingerprints of every state, with the states to confirm them.
    Prints(Prints),
}

/// The fingerprint of the current state, and those of every state visited before.
pub(super) struct Prints {
    on: i8,
    /// The current state's neurons that are on, bit-packed.
    words: Vec<u64>,
    hash: u64,
    seen: HashMap<u64, Vec<usize>>,
    states: Vec<Vec<u64>>,
}

impl Cycles {
    /// Starts with the cue, for a run that stops at cycles when `stop` and whose cycles are
    /// at most `longest` steps long, if bounded. A cue with values other than `on` and `off`
    /// is never visited again, so it is not remembered.
    pub(super) fn new(
        cue: &[i8],
        (on, off): (i8, i8),
        longest: Option<usize>,
        stop: bool,
    ) -> Cycles {
        match longest {
            _ if !stop => return Cycles::Off,
            Some(1) => return Cycles::Off,
            Some(2) => return Cycles::TwoBack { back: Vec::new() },
            _ => {}
        }
        let words: Vec<u64> = cue.chunks(64).map(|c| bits_where(c, |s| s == on)).collect();
        let hash = words.iter().enumerate().fold(0, |h, (w, &x)| h ^ key(w, x));
        let mut prints = Prints {
            on,
            words,
            hash,
            seen: HashMap::new(),
            states: Vec::new(),
        };
        if cue.iter().all(|&s| s == on || s == off) {
            prints.remember(0);
        }
        Cycles::Prints(prints)
    }

    /// The run reached `state` at `step` by `changes` (from `previous`): the period of the
    /// cycle it closes, if any.
    pub(super) fn visit(
        &mut self,
        step: usize,
        previous: &[i8],
        state: &[i8],
        changes: &[(usize, i64)],
    ) -> Option<usize> {
        match self {
            Cycles::Off => None,
            Cycles::TwoBack { back } => {
                if step >= 2 && state == back.as_slice() {
                    return Some(2);
                }
                back.clear();
                back.extend_from_slice(previous);
                None
            }
            Cycles::Prints(p) => {
                for &(i, _) in changes {
                    let (w, bit) = (i / 64, 1u64 << (i % 64));
                    let x = p.words[w];
                    let y = if state[i] == p.on { x | bit } else { x & !bit };
                    if x != y {
                        p.hash ^= key(w, x) ^ key(w, y);
                        p.words[w] = y;
                    }
                }
                let found = p.confirmed();
                if found.is_none() {
                    p.remember(step);
                }
                found.map(|at| step - at)
            }
        }
    }
}

impl Prints {
    /// The step at which the current state was visited before, if it was.
    fn confirmed(&self) -> Option<usize> {
        self.seen
            .get(&self.hash)?
            .iter()
            .copied()
            .find(|&at| self.states[at] == self.words)
    }

    /// Remembers the current state as visited at `step`.
    fn remember(&mut self, step: usize) {
        // Steps are visited in order: the state of step k is `states[k]`.
        self.states.resize(step, Vec::new());
        self.states.push(self.words.clone());
        self.seen.entry(self.hash).or_default().push(step);
    }
}

#[inline]
fn key(w: usize, x: u64) -> u64 {
    random::mix(x ^ random::mix(w as u64))
}
