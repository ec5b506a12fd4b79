//! The recall API on arbitrary inputs: a small network (any N, patterns, rule,
//! representation, threshold, activation), any cue values and options. Every call returns
//! `Ok` or `Err`, never panics.
#![no_main]

use hopfield::rule::{Hebb, Outer01};
use hopfield::{
    Activation, AssociativeMemory, Dynamics, Network, Normalization, Patterns, RecallOptions,
    Representation, Rule, Threshold, Tie, noise, random,
};
use libfuzzer_sys::fuzz_target;

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let n = usize::from(b.byte() % 40);
    let p = usize::from(b.byte() % 8);
    // Values mostly ±1, sometimes anything (the library must refuse those).
    let wild = b.byte() % 8 == 0;
    let values: Vec<i8> = (0..n * p)
        .map(|_| {
            let v = b.byte();
            if wild {
                v as i8
            } else if v & 1 == 1 {
                1
            } else {
                -1
            }
        })
        .collect();
    let outer01 = b.byte() & 1 == 1;
    let normalization =
        [Normalization::N, Normalization::P, Normalization::None][usize::from(b.byte() % 3)];
    let rule: Rule = if outer01 {
        Outer01::new(normalization).into()
    } else {
        Hebb::new(normalization).into()
    };
    let repr = [
        Representation::Auto,
        Representation::Dense,
        Representation::Factored,
    ][usize::from(b.byte() % 3)];
    let Ok(patterns) = Patterns::new(n, values) else {
        return;
    };
    let Ok(mut net) = Network::train(&patterns, &rule, repr) else {
        return;
    };
    let threshold = match b.byte() % 4 {
        0 => Threshold::Uniform(f64::from(b.byte() as i8) / 16.0),
        1 => Threshold::PerNeuron((0..n).map(|_| f64::from(b.byte() as i8) / 16.0).collect()),
        2 => Threshold::PerNeuron(vec![0.5; usize::from(b.byte() % 4)]),
        _ => Threshold::Uniform(f64::NAN),
    };
    if let Ok(t) = net.clone().with_threshold(threshold) {
        net = t;
    }
    if b.byte() & 1 == 1 {
        net = net.with_activation(Activation::Binary);
    }
    let cue_len = if b.byte() % 8 == 0 {
        usize::from(b.byte() % 40)
    } else {
        n
    };
    let cue: Vec<i8> = (0..cue_len).map(|_| (b.byte() % 7) as i8 - 3).collect();
    let dynamics = [
        Dynamics::Synchronous,
        Dynamics::Asynchronous,
        Dynamics::Sweep,
        Dynamics::Sequential,
    ][usize::from(b.byte() % 4)];
    let tie = [Tie::Plus, Tie::Minus, Tie::Keep][usize::from(b.byte() % 3)];
    let mut options = RecallOptions::new(dynamics).tie(tie);
    match b.byte() % 3 {
        0 => options = options.max_steps(usize::from(b.byte() % 30)),
        1 => options = options.max_steps(usize::from(b.byte() % 30)).run_to_max(),
        _ => {}
    }
    if b.byte() & 1 == 1 {
        let target: Vec<i8> = (0..usize::from(b.byte() % 40)).map(|_| 1).collect();
        options = options.record_all(Some(target));
    }
    let seed = u64::from(b.byte());
    let mut rng = random::seeded(seed);
    let _ = net.recall(&cue, &options, &mut rng);
    let _ = net.recall_batch(&[cue.clone(), cue.clone()], &options, seed);
    let _ = net.energy(&cue);
    let _ = net.overlaps(&cue);
    let _ = noise::flip_fraction(&cue, f64::from(b.byte()) / 100.0, &mut rng);
    let _ = noise::flip(&cue, usize::from(b.byte()), &mut rng);
    if let Ok(bytes) = hopfield_io::network::encode_network(&net) {
        let back = hopfield_io::network::decode_network(&bytes).expect("a saved network loads");
        assert_eq!(back, net);
    }
});
