//! `hopfield basins`: recall probability and final overlap against the noise of the cue.

use anyhow::Result;
use hopfield::experiment::{Basins, BasinsConfig, BasinsSweep, Sweep};
use hopfield_plot::{Figure, Line, Marker, Panel};

use super::sweep::{self, Report, csv_line};
use crate::cli::BasinsArgs;

pub fn run(args: BasinsArgs) -> Result<()> {
    let config = BasinsConfig::default()
        .n(args.n)
        .alphas(sweep::values("alpha", &args.alpha)?)
        .noises(sweep::values("noise", &args.noise)?)
        .trials(args.trials)
        .cues(args.cues)
        .rule(args.network.rule.clone())
        .dynamics(args.network.dynamics)
        .max_steps(args.network.max_steps)
        .seed(args.common.seed);
    let shard = sweep::shard(args.shard.shard.as_deref())?;
    sweep::run(BasinsSweep::new(config)?, shard, &args.common)
}

impl Report for BasinsSweep {
    type Output = Basins;
    const STEM: &'static str = "basins";

    fn figure(b: &Basins) -> Result<Figure> {
        let c = &b.config;
        let title = format!(
            "Basins of attraction: N = {}, {} trials × {} cues per load and noise level, {} dynamics",
            c.n, c.trials, c.cues, c.dynamics
        );
        let mut recall = Panel::new()
            .title("Exact recall")
            .xlabel("initial noise (fraction of neurons flipped)")
            .ylabel("probability of exact recall")
            .y_range(-0.02, 1.05);
        let mut overlap = Panel::new()
            .title("Final overlap")
            .xlabel("initial noise (fraction of neurons flipped)")
            .ylabel("mean final overlap")
            .y_range(-0.05, 1.05);
        for curve in &b.curves {
            let label = format!("α = {:.3} (P = {})", curve.alpha, curve.p);
            recall.push(
                Line::new(b.noises.clone(), curve.recall_probability.clone())
                    .marker(Marker::Circle)
                    .label(label.clone()),
            );
            overlap.push(
                Line::new(b.noises.clone(), curve.mean_overlap.clone())
                    .marker(Marker::Circle)
                    .label(label),
            );
        }
        Ok(Figure::new(1000, 460)
            .title(title)
            .grid(1, 2)
            .panel(recall)
            .panel(overlap))
    }

    fn csv(b: &Basins) -> String {
        let mut s = String::from("alpha,p,noise,cues,recall_probability,recall_se,mean_overlap\n");
        for c in &b.curves {
            for (k, noise) in b.noises.iter().enumerate() {
                s.push_str(&csv_line(&[
                    c.alpha.to_string(),
                    c.p.to_string(),
                    noise.to_string(),
                    c.cues.to_string(),
                    c.recall_probability[k].to_string(),
                    c.recall_se[k].to_string(),
                    c.mean_overlap[k].to_string(),
                ]));
            }
        }
        s
    }

    fn table(b: &Basins) -> String {
        let c = &b.config;
        let mut s = format!(
            "basins: N = {}, {} trials × {} cues per load and noise level, {} dynamics\n",
            c.n, c.trials, c.cues, c.dynamics
        );
        s.push_str("  noise ");
        for curve in &b.curves {
            s.push_str(&format!(" | α = {:<6.4} recall  overlap", curve.alpha));
        }
        s.push('\n');
        for (k, noise) in b.noises.iter().enumerate() {
            s.push_str(&format!("  {noise:<6.3}"));
            for curve in &b.curves {
                s.push_str(&format!(
                    " |            {:>6.3}  {:>7.3}",
                    curve.recall_probability[k], curve.mean_overlap[k]
                ));
            }
            s.push('\n');
        }
        s
    }
}
