//! `hopfield attractors`: where the dynamics end from random states, counted by class.

use anyhow::Result;
use hopfield::Outcome;
use hopfield::experiment::{Attractors, AttractorsConfig, AttractorsSweep, Sweep};
use hopfield_plot::{Bins, Figure, Histogram, Panel, Text};

use super::sweep::{self, Report, csv_line};
use crate::cli::AttractorsArgs;

pub fn run(args: AttractorsArgs) -> Result<()> {
    let config = AttractorsConfig::default()
        .n(args.n)
        .p(args.p)
        .starts(args.starts)
        .rule(args.rule.clone())
        .dynamics(args.dynamics)
        .max_steps(args.max_steps)
        .seed(args.common.seed);
    let shard = sweep::shard(args.shard.shard.as_deref())?;
    sweep::run(AttractorsSweep::new(config)?, shard, &args.common)
}

fn energy(e: Option<f64>) -> String {
    e.map_or_else(|| "-".to_string(), crate::terminal::number)
}

impl Report for AttractorsSweep {
    type Output = Attractors;
    const STEM: &'static str = "attractors";

    fn figure(a: &Attractors) -> Result<Figure> {
        let c = &a.config;
        // One bar per class: the class index repeated once per run that ended there.
        let values: Vec<f64> = a
            .classes
            .iter()
            .enumerate()
            .flat_map(|(k, class)| std::iter::repeat_n(k as f64, class.count))
            .collect();
        let edges: Vec<f64> = (0..=a.classes.len()).map(|k| k as f64 - 0.5).collect();
        let legend: Vec<String> = a
            .classes
            .iter()
            .enumerate()
            .map(|(k, class)| {
                format!(
                    "{k}  {}: {} ({:.1} %), {} distinct",
                    class.class,
                    class.count,
                    100.0 * class.fraction,
                    class.distinct
                )
            })
            .collect();
        Ok(Figure::new(760, 440).panel(
            Panel::new()
                .title(format!(
                    "N = {}, P = {}, {} random starts, {} dynamics",
                    c.n, c.p, c.starts, c.dynamics
                ))
                .xlabel("class of the final state")
                .ylabel("runs")
                .x_ticks((0..a.classes.len()).map(|k| k as f64).collect::<Vec<_>>())
                .layer(Histogram::new(values).bins(Bins::Edges(edges)))
                .layer(Text::new(legend.join("\n"))),
        ))
    }

    fn csv(a: &Attractors) -> String {
        let mut s = String::from("class,count,fraction,distinct,mean_energy_per_neuron\n");
        for c in &a.classes {
            s.push_str(&csv_line(&[
                c.class.clone(),
                c.count.to_string(),
                c.fraction.to_string(),
                c.distinct.to_string(),
                c.mean_energy.map_or_else(String::new, |e| e.to_string()),
            ]));
        }
        s
    }

    fn table(a: &Attractors) -> String {
        let c = &a.config;
        let mut s = format!(
            "attractors: N = {}, P = {}, {} random starts, {} dynamics\n",
            c.n, c.p, c.starts, c.dynamics
        );
        s.push_str("  class         runs   fraction  distinct  energy/N\n");
        for k in &a.classes {
            s.push_str(&format!(
                "  {:<12} {:>5}   {:>7.3}   {:>7}   {:>8}\n",
                k.class,
                k.count,
                k.fraction,
                k.distinct,
                energy(k.mean_energy)
            ));
        }
        if !a.mixtures.is_empty() {
            s.push_str("  mixtures found: ");
            let shown: Vec<String> = a
                .mixtures
                .iter()
                .take(8)
                .map(|m| {
                    let mixture = Outcome::Mixture {
                        patterns: m.patterns.clone(),
                        signs: m.signs.clone(),
                    };
                    format!("{mixture}: {}", m.count)
                })
                .collect();
            s.push_str(&shown.join(", "));
            if a.mixtures.len() > 8 {
                s.push_str(&format!(", … ({} more)", a.mixtures.len() - 8));
            }
            s.push('\n');
        }
        s
    }
}
