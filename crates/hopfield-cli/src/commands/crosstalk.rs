//! `hopfield crosstalk`: the term Σ ξ_i S_i sampled, against its Gaussian prediction.

use anyhow::Result;
use hopfield::experiment::{self, Crosstalk};
use hopfield::random;
use hopfield_plot::Figure;

use super::sweep::{self, Report, csv_line};
use crate::cli::CrosstalkArgs;
use crate::tour::figures;

/// The crosstalk report (the experiment is one sequential stream of samples).
pub struct CrosstalkReport;

pub fn run(args: CrosstalkArgs) -> Result<()> {
    // Validated like the sweeps, though one stream of samples runs on one thread.
    sweep::pool(args.common.threads)?;
    let c = experiment::crosstalk(
        args.n,
        args.overlap,
        args.samples,
        &mut random::seeded(args.common.seed),
    )?;
    sweep::emit::<CrosstalkReport>(
        &c,
        args.common.output.json,
        args.common.output.out.as_deref(),
    )
}

impl Report for CrosstalkReport {
    type Output = Crosstalk;
    const STEM: &'static str = "crosstalk";

    fn figure(c: &Crosstalk) -> Result<Figure> {
        let title = format!(
            "N = {}, S copies ξ on {} neurons, {} samples",
            c.n,
            c.overlap,
            c.values.len()
        );
        Ok(Figure::new(640, 440).panel(figures::crosstalk(c, &title)?))
    }

    fn csv(c: &Crosstalk) -> String {
        let mut s = String::from("sample,term\n");
        for (k, v) in c.values.iter().enumerate() {
            s.push_str(&csv_line(&[k.to_string(), v.to_string()]));
        }
        s
    }

    fn table(c: &Crosstalk) -> String {
        let verdict = if c.ks_distance < c.ks_critical {
            "consistent with the Gaussian at 5 %"
        } else {
            "rejects the Gaussian at 5 %"
        };
        format!(
            "crosstalk: N = {}, overlap {}, {} samples\n\
             \x20 mean  {:>9.3}   theory {:>9.3}\n\
             \x20 sd    {:>9.3}   theory {:>9.3}  (√(N − overlap))\n\
             \x20 KS distance {:.4} (5 % critical value {:.4}): {verdict}\n",
            c.n,
            c.overlap,
            c.values.len(),
            c.mean,
            c.predicted_mean,
            c.sd,
            c.predicted_sd,
            c.ks_distance,
            c.ks_critical,
        )
    }
}
