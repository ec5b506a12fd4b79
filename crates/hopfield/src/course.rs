//! hopfield for readers of the course page: each numpy cell of "Hopfield networks" and the
//! library call that does it.
//!
//! The page writes `Tij` for the couplings, `S` for the state, `xi`/`csi` for a stored
//! pattern and `sign` for the decision; here they are [`Weights`](crate::Weights), a
//! `&[i8]` state, a row of [`Patterns`](crate::Patterns) and [`Tie`](crate::Tie). The
//! page's loops become one [`recall`](crate::AssociativeMemory::recall) with
//! [`RecallOptions`](crate::RecallOptions); its `np.random` calls become a seeded generator
//! passed in by the caller, so every example below gives the same numbers on every machine.
//! The examples run as tests.
//!
//! # Simulate a Hopfield network
//!
//! `Tij = np.random.rand(N, N)`, a random 0/1 start, then `K` updates of one random neuron
//! each, `1` when `(Tij @ St)[i] > 0`:
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::Weights;
//!
//! let mut rng = random::seeded(1);
//! let tij = Weights::uniform(20, &mut rng)?; // Tij = np.random.rand(N, N)
//! let net = Network::new(tij)
//!     .with_activation(Activation::Binary) // S in {0, 1}
//!     .with_threshold(Threshold::Uniform(0.0))?; // U_threshold = 0
//! let start = pattern_01(&generate::random_pattern(20, 0.5, &mut rng)?);
//! let options = RecallOptions::new(Dynamics::Asynchronous) // one random neuron per step
//!     .tie(Tie::Minus) // `> 0` → 1, else 0
//!     .max_steps(200) // K = 200
//!     .run_to_max()
//!     .record(Record::new(true, false)); // keep S[:, k] for the raster
//! let run = net.recall(&start, &options, &mut rng)?;
//! let states = run.trajectory.unwrap().states;
//! assert_eq!(states.len(), 201);
//! // Every coupling is positive: activity spreads until every neuron is on.
//! assert!(states.last().unwrap().iter().all(|&s| s == 1));
//! # fn pattern_01(s: &[i8]) -> Vec<i8> { s.iter().map(|&x| i8::from(x > 0)).collect() }
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! # Information storage and pseudo-orthogonality
//!
//! `np.sum(xi * S)` for two random patterns, repeated `K` times, and again with `S` copying
//! `xi` on its first `N_overlap` neurons:
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::experiment;
//!
//! let mut rng = random::seeded(2);
//! let xi = generate::random_pattern(100, 0.5, &mut rng)?;
//! let s = generate::random_pattern(100, 0.5, &mut rng)?;
//! let term = measure::crosstalk(&xi, &s)?; // np.sum(xi * S)
//! assert!(term.abs() <= 100 && term % 2 == 0);
//!
//! let random = experiment::crosstalk(100, 0, 1000, &mut rng)?; // the histogram's samples
//! let half = experiment::crosstalk(100, 50, 1000, &mut rng)?; // N_overlap = 50
//! assert!(random.mean.abs() < 1.0 && (random.sd - 10.0).abs() < 1.0); // mean 0, sd √N
//! assert!((half.mean - 50.0).abs() < 1.0); // shifted by N_overlap
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! # Dynamics with one stored pattern
//!
//! `Tij = np.outer(xi1, xi1)` with a zero diagonal, a start that copies 75 % of `xi1`,
//! 1000 random single-neuron updates and the error `np.sum(np.abs(S - xi1))` after each:
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::rule::Hebb;
//!
//! let mut rng = random::seeded(3);
//! let xi1 = generate::random_patterns(1, 100, 0.5, &mut rng)?;
//! let page_rule: Rule = Hebb::new(Normalization::None).into(); // np.outer, no 1/N
//! let net = Network::from_patterns(&xi1, &page_rule)?;
//! let other = generate::random_pattern(100, 0.5, &mut rng)?;
//! let start = noise::mix(xi1.get(0).unwrap(), &other, 0.75)?; // 75 % of xi1, then random
//! let options = RecallOptions::new(Dynamics::Asynchronous)
//!     .tie(Tie::Minus)
//!     .max_steps(1000)
//!     .run_to_max()
//!     .record_all(Some(xi1.get(0).unwrap().to_vec())); // the error to xi1 at every step
//! let run = net.recall(&start, &options, &mut rng)?;
//! let errors = &run.trajectory.as_ref().unwrap().errors; // Hamming = Σ|S − ξ| / 2
//! assert_eq!(*errors.last().unwrap(), 0);
//! assert_eq!(run.state, xi1.get(0).unwrap());
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! # Five neurons, then the 5 × 5 letters
//!
//! `csi = [1,-1,-1,1,1]`, `W = np.outer(csi, csi)`, and `S[:, k+1] = sign(W @ S[:, k])`
//! from a random start; then checkerboard, X and A stored together and X recalled from
//! 20 % of its pixels flipped:
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::generate::page;
//! use hopfield::rule::Hebb;
//!
//! let page_rule: Rule = Hebb::new(Normalization::None).into();
//! let csi = Patterns::from_rows([[1i8, -1, -1, 1, 1]])?;
//! let w = Network::from_patterns(&csi, &page_rule)?;
//! let mut rng = random::seeded(4);
//! let start = generate::random_pattern(5, 0.5, &mut rng)?;
//! let sync = RecallOptions::new(Dynamics::Synchronous).tie(Tie::Minus); // sign: > 0 → +1
//! let run = w.recall(&start, &sync, &mut rng)?;
//! // The pattern or its reverse, whichever the start agrees with more.
//! assert!(matches!(
//!     run.outcome,
//!     Outcome::Recalled { pattern: 0 } | Outcome::Reversed { pattern: 0 }
//! ));
//!
//! let letters = page::letters(); // checkerboard, X, A
//! let net = Network::from_patterns(&letters, &page_rule)?;
//! let x = letters.get(1).unwrap();
//! let cue = noise::flip_fraction(x, 0.2, &mut rng)?; // noisy_bipolar(c2, 0.2)
//! let sign_ge = RecallOptions::new(Dynamics::Synchronous).tie(Tie::Plus).max_steps(10);
//! let recalled = net.recall(&cue, &sign_ge, &mut rng)?; // np.where(x >= 0, 1, -1)
//! println!("{:?} after {} steps", recalled.outcome, recalled.steps);
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! # The 100 × 100 images
//!
//! The page draws BU, BC and a star as 0/1 images, stores BU with `np.outer` of the 0/1
//! vector, and takes one synchronous step from BC plus a random ±1 per pixel:
//!
//! ```
//! use hopfield::prelude::*;
//! use hopfield::generate::page;
//!
//! let mut rng = random::seeded(6);
//! let bu = page::bu();
//! let net = Network::from_patterns(&bu, &Rule::outer01())?; // W = np.outer(V, V), V in {0, 1}
//! let bc01: Vec<i8> = page::bc().get(0).unwrap().iter().map(|&s| i8::from(s > 0)).collect();
//! let cue = noise::add_noise(&bc01, &mut rng); // 1*csi_BC + np.random.choice([-1, 1])
//! let one_step = RecallOptions::new(Dynamics::Synchronous)
//!     .tie(Tie::Minus)
//!     .max_steps(1)
//!     .run_to_max();
//! let run = net.recall(&cue, &one_step, &mut rng)?;
//! assert_eq!(run.state, bu.get(0).unwrap()); // BU, exactly
//! # Ok::<(), hopfield::Error>(())
//! ```
//!
//! Masking half of a cue (`S[5000:] = 0`) is [`noise::mask`](crate::noise::mask) with
//! [`Region::SecondHalf`](crate::noise::Region::SecondHalf); the overlap `m = ξ·S / N` and
//! the energy `−½ SᵀWS` the page plots are [`measure::overlap`](crate::measure::overlap)
//! and [`Network::energy`](crate::Network::energy), and every recall reports both
//! ([`Recall::overlaps`](crate::Recall::overlaps), [`Recall::energy`](crate::Recall::energy)).
//!
//! The command line runs all of these cells at once and writes the figures: `hopfield tour`.
