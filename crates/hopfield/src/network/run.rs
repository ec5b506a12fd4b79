//! The classical network's runs: fields kept up to date under the engine's loop
//! ([`crate::dynamics::run`]), through the couplings' own representation, or bit-packed
//! steps for Hebbian couplings where the processor runs them.

use std::sync::Arc;

use super::Network;
use crate::dynamics::{self, Dynamical, Dynamics, Recall, RecallOptions, Run, sweep_each};
use crate::kernel::bits::bipolar_bits;
use crate::kernel::packed::{Packed, Plan, Scratch, few};
use crate::neuron::{Activation, Tie, decide};
use crate::parallel::*;
use crate::pattern::Patterns;
use crate::random;
use crate::weights::{Field, FieldBuf, Tracker};

/// A run of a [`Network`].
pub struct NetworkRun<'a>(Inner<'a>);

impl std::fmt::Debug for NetworkRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Inner::General(_) => "NetworkRun(fields)",
            Inner::Packed(_) => "NetworkRun(bit-packed)",
        })
    }
}

/// The two kinds of run of a network.
enum Inner<'a> {
    /// Fields (synchronous) or field bookkeeping (single neurons) of any couplings.
    General(Box<GeneralRun<'a>>),
    /// Bit-packed synchronous steps of Hebbian couplings.
    Packed(Box<PackedRun<'a>>),
}

impl Dynamical for Network {
    type Run<'a> = NetworkRun<'a>;

    fn n(&self) -> usize {
        self.weights.n()
    }

    fn start<'a>(&'a self, state: &[i8], options: &RecallOptions) -> NetworkRun<'a> {
        NetworkRun(match PackedRun::start(self, state, options) {
            Some(p) => Inner::Packed(Box::new(p)),
            None => Inner::General(Box::new(GeneralRun::start(self, state, options))),
        })
    }

    fn patterns(&self) -> Option<&Patterns> {
        self.patterns.as_ref()
    }

    fn levels(&self) -> (i8, i8) {
        self.activation.levels()
    }

    fn energy_per_drive(&self) -> f64 {
        self.activation.energy_per_drive()
    }

    fn longest_cycle(&self) -> Option<usize> {
        self.weights.is_symmetric().then_some(2)
    }
}

macro_rules! each {
    ($self:ident, $r:ident => $e:expr) => {
        match &mut $self.0 {
            Inner::General($r) => $e,
            Inner::Packed($r) => $e,
        }
    };
}

impl<'a> NetworkRun<'a> {
    /// The general run: this one, or, from a packed run whose 16-bit sums cannot serve
    /// `state`, the general run it goes on as from there.
    fn general(&mut self, state: &[i8]) -> &mut GeneralRun<'a> {
        if let Inner::Packed(p) = &self.0 {
            self.0 = Inner::General(Box::new(p.general(state)));
        }
        match &mut self.0 {
            Inner::General(g) => g,
            Inner::Packed(_) => unreachable!("replaced just above"),
        }
    }
}

impl Run for NetworkRun<'_> {
    fn drive(&mut self, state: &[i8], i: usize) -> f64 {
        each!(self, r => r.drive(state, i))
    }

    fn changed(&mut self, state: &[i8], i: usize, delta: i64) {
        each!(self, r => r.changed(state, i, delta))
    }

    fn step(
        &mut self,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
        levels: (i8, i8),
    ) -> bool {
        if let Inner::Packed(p) = &mut self.0
            && let Some(still) = p.step(state, next, changes, tie)
        {
            return still;
        }
        self.general(state).step(state, next, changes, tie, levels)
    }

    fn sweep(&mut self, state: &mut [i8], order: &[usize], tie: Tie, levels: (i8, i8)) -> u64 {
        match &mut self.0 {
            Inner::General(g) => g.sweep(state, order, tie, levels),
            // Bit-packed runs are synchronous; any other pass goes neuron by neuron.
            Inner::Packed(_) => sweep_each(self, state, order, tie, levels),
        }
    }

    fn moved(&mut self, state: &[i8], changes: &[(usize, i64)]) {
        each!(self, r => r.moved(state, changes))
    }

    fn energy(&mut self, state: &[i8]) -> f64 {
        each!(self, r => r.energy(state))
    }

    fn dots(&mut self, state: &[i8]) -> Vec<i64> {
        each!(self, r => r.dots(state))
    }

    fn settled(&mut self, state: &[i8], tie: Tie, levels: (i8, i8)) -> bool {
        if let Inner::Packed(p) = &mut self.0
            && let Some(still) = p.settled(tie)
        {
            return still;
        }
        self.general(state).settled(state, tie, levels)
    }
}

/// Exact energy bookkeeping of single-neuron runs: `Q = SᵀW_int S` through
/// `ΔQ = 2δ·h_i + W_ii·δ²` (symmetric integer couplings), and `Σ S_i` for a uniform
/// threshold.
struct EnergyBook {
    q: i128,
    sum: i64,
    theta_s: f64,
}

/// Fields of any couplings: all of them for synchronous steps, the representation's own
/// bookkeeping for single-neuron updates.
struct GeneralRun<'a> {
    net: &'a Network,
    /// The fields of the state (synchronous), or of the state when last computed.
    fields: FieldBuf,
    /// Whether `fields` are those of the current state.
    fresh: bool,
    /// Single-neuron updates: the representation's bookkeeping.
    tracker: Option<Tracker>,
    /// The last field asked for, of neuron `.0`, before it changed.
    last: Option<(usize, Field)>,
    book: Option<EnergyBook>,
}

impl<'a> GeneralRun<'a> {
    fn start(net: &'a Network, state: &[i8], options: &RecallOptions) -> Self {
        let weights = &net.weights;
        let levels = net.activation.levels();
        let single = options.dynamics != Dynamics::Synchronous;
        let mut run = GeneralRun {
            net,
            fields: if single {
                weights.field_buf()
            } else {
                weights.field_buf_for(state, levels)
            },
            fresh: false,
            tracker: single.then(|| weights.tracker(state)),
            last: None,
            book: None,
        };
        // Energies of single-neuron runs follow from the changes, exactly, when the
        // couplings are symmetric integers and energies are recorded.
        let booked = single
            && options.record.measures
            && weights.is_symmetric()
            && !matches!(run.fields, FieldBuf::Float(_));
        // Every field is computed when first asked for (single-neuron runs ask their
        // bookkeeping instead).
        if booked {
            let q = run.fields(state).quadratic_int(state);
            run.book = Some(EnergyBook {
                q,
                sum: state.iter().map(|&s| i64::from(s)).sum(),
                theta_s: net.threshold.dot(state),
            });
        }
        run
    }

    /// The fields of `state`, computed from the bookkeeping if they are not current.
    fn fields(&mut self, state: &[i8]) -> &FieldBuf {
        if !self.fresh {
            let weights = &self.net.weights;
            match &self.tracker {
                Some(t) => weights.tracked_fields(t, state, &mut self.fields),
                None => weights.compute_fields(state, &mut self.fields),
            }
            self.fresh = true;
        }
        &self.fields
    }
}

impl Run for GeneralRun<'_> {
    fn drive(&mut self, state: &[i8], i: usize) -> f64 {
        let theta = self.net.threshold.at(i);
        match &self.tracker {
            Some(t) => {
                let weights = &self.net.weights;
                let field = weights.tracked(t, state, i);
                self.last = Some((i, field));
                match field {
                    Field::Int(h) => weights.scale() * h as f64 - theta,
                    Field::Float(h) => h - theta,
                }
            }
            None => self.fields(state).value(i) - theta,
        }
    }

    fn changed(&mut self, _state: &[i8], i: usize, delta: i64) {
        let weights = &self.net.weights;
        if let (Some(book), Some((j, Field::Int(h)))) = (&mut self.book, self.last)
            && j == i
            && let Some(w_ii) = weights.self_coupling_int(i)
        {
            book.q += 2 * i128::from(delta) * i128::from(h)
                + i128::from(w_ii) * i128::from(delta * delta);
            book.sum += delta;
            book.theta_s += self.net.threshold.at(i) * delta as f64;
        }
        if let Some(t) = &mut self.tracker {
            weights.track(t, i, delta);
        }
        self.fresh = false;
    }

    fn sweep(&mut self, state: &mut [i8], order: &[usize], tie: Tie, levels: (i8, i8)) -> u64 {
        if self.book.is_none()
            && let Some(t) = &mut self.tracker
        {
            let (weights, theta) = (&self.net.weights, &self.net.threshold);
            let scale = weights.scale();
            // With no threshold and a positive normal scale, the drive has the sign of the
            // integer field (a product with |h| ≥ 1 cannot round to 0).
            let changed = if theta.is_zero() && scale.is_normal() && scale > 0.0 {
                let decide = |_: usize, h: i64, old: i8| decide(h, old, tie, levels);
                weights.sweep_tracked(t, state, order, decide)
            } else {
                let decide = |i: usize, h: i64, old: i8| {
                    decide(scale * h as f64 - theta.at(i), old, tie, levels)
                };
                weights.sweep_tracked(t, state, order, decide)
            };
            if let Some(changed) = changed {
                self.last = None;
                self.fresh &= changed == 0;
                return changed;
            }
        }
        sweep_each(self, state, order, tie, levels)
    }

    fn step(
        &mut self,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
        levels: (i8, i8),
    ) -> bool {
        let net = self.net;
        let theta = &net.threshold;
        self.fields(state)
            .decide_all(theta, state, next, changes, tie, levels);
        changes.is_empty()
    }

    fn moved(&mut self, state: &[i8], changes: &[(usize, i64)]) {
        let weights = &self.net.weights;
        if self.tracker.is_none() && self.fresh && weights.apply_changes(&mut self.fields, changes)
        {
            return;
        }
        self.fresh = false;
        self.fields(state);
    }

    fn energy(&mut self, state: &[i8]) -> f64 {
        let theta = &self.net.threshold;
        if let Some(book) = &self.book {
            let scale = self.net.weights.scale();
            let theta_s = match theta {
                crate::neuron::Threshold::Uniform(t) => t * book.sum as f64,
                crate::neuron::Threshold::PerNeuron(_) => book.theta_s,
            };
            return -0.5 * (scale * book.q as f64) + theta_s;
        }
        let weights = &self.net.weights;
        if let Some(t) = &self.tracker
            && let Some(q) = weights.tracked_quadratic(t, state)
        {
            return -0.5 * (weights.scale() * q as f64) + theta.dot(state);
        }
        -0.5 * self.fields(state).quadratic(state) + theta.dot(state)
    }

    fn dots(&mut self, state: &[i8]) -> Vec<i64> {
        self.net.dots(state)
    }

    /// Every field at once (from the overlaps, for factored couplings) rather than one
    /// neuron's at a time.
    fn settled(&mut self, state: &[i8], tie: Tie, levels: (i8, i8)) -> bool {
        let theta = &self.net.threshold;
        let fields = self.fields(state);
        (0..state.len())
            .all(|i| decide(fields.value(i) - theta.at(i), state[i], tie, levels) == state[i])
    }
}

/// Steps with few changes between reports to [`Packed::columns`].
const REPORT: u64 = 16;

/// Synchronous steps of Hebbian couplings on bit-packed states (see
/// [`crate::kernel::packed`]): the run of a network whose couplings are
/// `W = c (Σ_μ ξ^μ ξ^μᵀ − D·I)` with `c > 0`, ±1 neurons, threshold 0, nothing recorded and
/// a ±1 cue. Its steps are the general run's, field for field.
struct PackedRun<'a> {
    net: &'a Network,
    packed: &'a Packed,
    /// The state, bit-packed, and room for the next one.
    cur: Vec<u64>,
    next: Vec<u64>,
    scratch: Scratch,
    /// Whether the overlaps in the scratch space are still to be computed for `cur`.
    fresh: bool,
    /// Through the distances once they pay: the fields in the scratch space are then those
    /// of the state before `cur`.
    columns: Option<&'a [u8]>,
    unreported: u64,
    /// The overlaps of the final state, once asked for.
    finals: Option<Vec<i32>>,
    /// Decisions worked out ahead with other runs ([`Packed::plan`]), and how many were
    /// taken.
    plan: Option<(Plan, usize)>,
}

impl<'a> PackedRun<'a> {
    /// The couplings laid out for packed runs with `options`, if these runs may take them.
    fn layout(net: &'a Network, options: &RecallOptions) -> Option<&'a Packed> {
        if options.dynamics != Dynamics::Synchronous
            || options.temperature > 0.0
            || options.record.any()
            || net.activation != Activation::Bipolar
            || !net.threshold.is_zero()
        {
            return None;
        }
        net.weights.packed()
    }

    fn start(net: &'a Network, cue: &[i8], options: &RecallOptions) -> Option<Self> {
        let packed = PackedRun::layout(net, options)?;
        Some(PackedRun::with(net, packed, bipolar_bits(cue)?, None))
    }

    /// The run from the packed cue `cur`, following `plan` as far as it goes.
    fn with(net: &'a Network, packed: &'a Packed, cur: Vec<u64>, plan: Option<Plan>) -> Self {
        PackedRun {
            net,
            packed,
            next: vec![0; cur.len()],
            cur,
            scratch: packed.scratch(),
            fresh: true,
            columns: None,
            unreported: 0,
            finals: None,
            plan: plan.map(|p| (p, 0)),
        }
    }

    /// The new state of every neuron of `cur` into `next` (bits); how many changed, or
    /// `None` when 16-bit sums would overflow.
    fn decide(&mut self, tie: Tie) -> Option<u64> {
        let packed = self.packed;
        if let Some((plan, taken)) = &mut self.plan
            && let Some(changed) = plan.steps.get(*taken)
        {
            *taken += 1;
            self.next.copy_from_slice(&self.cur);
            for &j in changed {
                self.next[j as usize / 64] ^= 1 << (j % 64);
            }
            self.scratch.set_changed(changed);
            // The overlaps in the scratch space are not those of `cur`.
            self.fresh = true;
            return Some(changed.len() as u64);
        }
        if let Some(d) = self.columns {
            return Some(packed.column_step(d, &self.cur, &mut self.scratch, tie, &mut self.next));
        }
        let in_range = if self.fresh {
            packed.overlaps(&self.cur, &mut self.scratch)
        } else {
            packed.update_overlaps(&self.cur, &mut self.scratch)
        };
        self.fresh = false;
        in_range.then(|| packed.step(&self.cur, &mut self.scratch, tie, &mut self.next))
    }

    /// The engine's synchronous step from `state` (whose bits are `cur`): `None` when the
    /// packed sums cannot serve this state.
    fn step(
        &mut self,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
    ) -> Option<bool> {
        let changed = self.decide(tie)?;
        changes.clear();
        if changed == 0 {
            return Some(true);
        }
        let packed = self.packed;
        if self.columns.is_none() && few(changed as usize, self.net.weights.n()) {
            self.unreported += 1;
            let report = if self.unreported == REPORT {
                self.unreported
            } else {
                0
            };
            self.columns = packed.columns(report);
            self.unreported %= REPORT;
            if self.columns.is_some() {
                packed.fields_for_columns(&self.cur, &mut self.scratch);
            }
        }
        next.copy_from_slice(state);
        for &j in self.scratch.changed() {
            let j = j as usize;
            next[j] = -state[j];
            changes.push((j, 2 * i64::from(next[j])));
        }
        std::mem::swap(&mut self.cur, &mut self.next);
        if let Some((plan, taken)) = &mut self.plan
            && *taken == plan.steps.len()
        {
            // Past the state the plan's last overlaps were those of.
            plan.finals = None;
        }
        Some(false)
    }

    /// Whether the state (whose bits are `cur`) is a fixed point: `None` when the packed
    /// sums cannot tell.
    fn settled(&mut self, tie: Tie) -> Option<bool> {
        Some(self.decide(tie)? == 0)
    }

    /// The general run from `state`, to go on where the packed sums cannot.
    fn general(&self, state: &[i8]) -> GeneralRun<'a> {
        GeneralRun::start(self.net, state, &RecallOptions::new(Dynamics::Synchronous))
    }

    /// The overlaps of the final state `cur`, exact whatever their size.
    fn final_overlaps(&mut self) -> &[i32] {
        if self.finals.is_none()
            && let Some((plan, taken)) = &mut self.plan
            && *taken == plan.steps.len()
        {
            self.finals = plan.finals.take();
        }
        if self.finals.is_none() {
            let m = self.packed.final_overlaps(&self.cur, &mut self.scratch);
            self.finals = Some(m.to_vec());
        }
        self.finals.as_deref().unwrap_or_default()
    }

    /// The drive of one neuron, through the fields (a packed run is asked for whole steps
    /// only; this serves callers that ask anyway).
    fn drive(&mut self, state: &[i8], i: usize) -> f64 {
        self.general(state).drive(state, i)
    }

    /// Packed runs are synchronous: single changes do not reach them.
    fn changed(&mut self, _state: &[i8], _i: usize, _delta: i64) {}

    fn moved(&mut self, _state: &[i8], _changes: &[(usize, i64)]) {
        // `step` moved the bits already.
        self.finals = None;
    }

    fn energy(&mut self, state: &[i8]) -> f64 {
        // Sᵀ W_int S = Σ_i S_i (Σ_μ ξ^μ_i m_μ − D S_i) = Σ_μ m_μ² − D·N.
        let n = state.len() as i64;
        let diagonal = self.packed.diagonal();
        let m = self.final_overlaps();
        let q: i64 = m.iter().map(|&x| i64::from(x) * i64::from(x)).sum::<i64>() - diagonal * n;
        -0.5 * (self.net.weights.scale() * q as f64) + self.net.threshold.dot(state)
    }

    fn dots(&mut self, state: &[i8]) -> Vec<i64> {
        let shared = match (&self.net.patterns, self.net.weights.vector_bits()) {
            (Some(a), Some(b)) => Arc::ptr_eq(a.bits(), b),
            _ => false,
        };
        if shared {
            self.final_overlaps()
                .iter()
                .map(|&x| i64::from(x))
                .collect()
        } else {
            self.net.dots(state)
        }
    }
}

/// Synchronous runs from `cues` of a network whose couplings take a wide packed layout,
/// several runs per pass over the layout ([`Packed::plan`]): the results of
/// [`crate::AssociativeMemory::recall_batch`] (cue `k` drawing from
/// [`random::stream`]`(seed, k)`), or `None` when the runs cannot go that way (other
/// dynamics or records, a cue that is not ±1, a single cue).
pub(super) fn batch<C: AsRef<[i8]> + Sync>(
    net: &Network,
    cues: &[C],
    options: &RecallOptions,
    seed: u64,
) -> Option<Vec<Recall>> {
    let packed = PackedRun::layout(net, options)?;
    if !packed.is_wide() || cues.len() < 2 {
        return None;
    }
    let bits: Vec<Vec<u64>> = cues
        .iter()
        .map(|c| bipolar_bits(c.as_ref()))
        .collect::<Option<_>>()?;
    let max_steps = options.steps_for(net.n());
    // The runs planned together (their passes over the layout shared by the threads), then
    // each run's record from its plan.
    let plans = packed.plan(&bits, options.tie, max_steps, &|| options.cancelled());
    let runs: Vec<(usize, (Plan, Vec<u64>))> = plans.into_iter().zip(bits).enumerate().collect();
    Some(
        runs.into_par_iter()
            .map(|(k, (plan, cur))| {
                let run = PackedRun::with(net, packed, cur, Some(plan));
                let run = NetworkRun(Inner::Packed(Box::new(run)));
                let mut rng = random::stream(seed, k as u64);
                dynamics::run_from(net, run, cues[k].as_ref(), options, &mut rng).0
            })
            .collect(),
    )
}

impl NetworkRun<'_> {
    /// Whether the run is (still) on the bit-packed path.
    #[cfg(test)]
    pub(crate) fn is_packed(&self) -> bool {
        matches!(self.0, Inner::Packed(_))
    }
}

/// A network whose runs never take the bit-packed path: the reference it is tested against.
#[cfg(test)]
pub(crate) struct Fields<'n>(pub(crate) &'n Network);

#[cfg(test)]
impl Dynamical for Fields<'_> {
    type Run<'a>
        = NetworkRun<'a>
    where
        Self: 'a;

    fn n(&self) -> usize {
        self.0.n()
    }

    fn start<'a>(&'a self, state: &[i8], options: &RecallOptions) -> NetworkRun<'a> {
        NetworkRun(Inner::General(Box::new(GeneralRun::start(
            self.0, state, options,
        ))))
    }

    fn patterns(&self) -> Option<&Patterns> {
        self.0.patterns()
    }

    fn levels(&self) -> (i8, i8) {
        self.0.activation.levels()
    }

    fn energy_per_drive(&self) -> f64 {
        self.0.activation.energy_per_drive()
    }

    fn longest_cycle(&self) -> Option<usize> {
        Dynamical::longest_cycle(self.0)
    }
}
