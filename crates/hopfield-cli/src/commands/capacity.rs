//! `hopfield capacity`: fixed points, recalls and overlaps against the load α = P/N.

use anyhow::Result;
use hopfield::experiment::{
    self, ALPHA_C, Capacity, CapacityConfig, CapacitySweep, Sweep, bit_error_probability,
};
use hopfield_plot::{Color, Curve, Figure, Line, LineStyle, Marker, Panel, VLine};

use super::sweep::{self, Report, csv_line};
use crate::cli::CapacityArgs;
use crate::terminal::number;

pub fn run(args: CapacityArgs) -> Result<()> {
    let config = CapacityConfig::default()
        .n(args.n)
        .alphas(sweep::values("alpha", &args.alpha)?)
        .trials(args.trials)
        .rule(args.network.rule.clone())
        .noise(args.noise)
        .dynamics(args.network.dynamics)
        .max_steps(args.network.max_steps)
        .seed(args.common.seed);
    let shard = sweep::shard(args.shard.shard.as_deref())?;
    sweep::run(CapacitySweep::new(config)?, shard, &args.common)
}

/// The critical load drawn as a dotted vertical line.
fn alpha_c_line() -> VLine {
    VLine::new(ALPHA_C)
        .style(LineStyle::Dotted)
        .color(Color::GRAY)
        .label(format!("α_c ≈ {ALPHA_C}"))
}

impl Report for CapacitySweep {
    type Output = Capacity;
    const STEM: &'static str = "capacity";

    fn figure(c: &Capacity) -> Result<Figure> {
        let n = c.config.n;
        let alpha: Vec<f64> = c.points.iter().map(|p| p.alpha).collect();
        let hi = alpha.iter().copied().fold(ALPHA_C, f64::max) * 1.05;
        let lo = alpha.iter().copied().fold(hi, f64::min).min(ALPHA_C) * 0.5;
        let column = |f: fn(&experiment::CapacityPoint) -> f64| -> Vec<f64> {
            c.points.iter().map(f).collect()
        };
        let title = format!(
            "Capacity: N = {n}, {} trials, {} rule, {} % noise, {} dynamics",
            c.config.trials,
            hopfield::LearningRule::name(&c.config.rule),
            c.config.noise * 100.0,
            c.config.dynamics
        );
        let recall = Panel::new()
            .title("Fixed points and recall")
            .xlabel("load α = P/N")
            .ylabel("fraction")
            .y_range(-0.02, 1.05)
            .layer(
                Line::new(alpha.clone(), column(|p| p.fixed_point_fraction))
                    .marker(Marker::Circle)
                    .label("stored patterns that are fixed points"),
            )
            .layer(
                Curve::new(move |a| {
                    let p = (a * n as f64).round().max(1.0) as usize;
                    experiment::fixed_point_probability(n, p)
                })
                .domain(lo, hi)
                .style(LineStyle::Dashed)
                .label("theory (1 − ½ erfc(√(N/2P)))^N"),
            )
            .layer(
                Line::new(alpha.clone(), column(|p| p.recalled_fraction))
                    .marker(Marker::Square)
                    .label("noisy cues recalled exactly"),
            )
            .layer(
                Line::new(alpha.clone(), column(|p| p.mean_overlap))
                    .marker(Marker::Triangle)
                    .label("mean final overlap"),
            )
            .layer(alpha_c_line());
        let errors = Panel::new()
            .title("Neurons of stored patterns that one step flips")
            .xlabel("load α = P/N")
            .ylabel("error per neuron")
            .layer(
                Line::new(alpha.clone(), column(|p| p.bit_error_rate))
                    .marker(Marker::Circle)
                    .label("measured"),
            )
            .layer(
                Curve::new(move |a| {
                    let p = (a * n as f64).max(1e-9);
                    0.5 * experiment::erfc((n as f64 / (2.0 * p)).sqrt())
                })
                .domain(lo, hi)
                .style(LineStyle::Dashed)
                .label("theory ½ erfc(√(N/2P))"),
            )
            .layer(alpha_c_line());
        Ok(Figure::new(1000, 520)
            .title(title)
            .grid(1, 2)
            .panel(recall)
            .panel(errors))
    }

    fn csv(c: &Capacity) -> String {
        let mut s = String::from(
            "alpha,p,trials,fixed_point_fraction,predicted_fixed_point,bit_error_rate,predicted_bit_error,recalled_fraction,mean_overlap\n",
        );
        for p in &c.points {
            s.push_str(&csv_line(&[
                p.alpha.to_string(),
                p.p.to_string(),
                p.trials.to_string(),
                p.fixed_point_fraction.to_string(),
                p.predicted_fixed_point.to_string(),
                p.bit_error_rate.to_string(),
                p.predicted_bit_error.to_string(),
                p.recalled_fraction.to_string(),
                p.mean_overlap.to_string(),
            ]));
        }
        s
    }

    fn table(c: &Capacity) -> String {
        let mut s = format!(
            "capacity: N = {}, {} trials per load, {} % noise, {} dynamics; α_c ≈ {}\n",
            c.config.n,
            c.config.trials,
            c.config.noise * 100.0,
            c.config.dynamics,
            c.alpha_c
        );
        s.push_str(
            "  alpha      P   fixed pts  theory   bit errors  theory      recalled  overlap\n",
        );
        for p in &c.points {
            s.push_str(&format!(
                "  {:<6.4} {:>6}   {:>7.3}  {:>7.3}   {:>9}  {:>9}   {:>7.3}  {:>7.3}\n",
                p.alpha,
                p.p,
                p.fixed_point_fraction,
                p.predicted_fixed_point,
                number(p.bit_error_rate),
                number(bit_error_probability(c.config.n, p.p)),
                p.recalled_fraction,
                p.mean_overlap
            ));
        }
        s
    }
}
