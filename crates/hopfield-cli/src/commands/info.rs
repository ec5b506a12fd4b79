//! `hopfield info`: what this machine gives hopfield — kernel levels, threads, memory.

use anyhow::Result;
use hopfield::simd::{self, Level};
use serde_json::json;

use crate::cli::InfoArgs;

pub fn run(args: &InfoArgs) -> Result<()> {
    let supported = Level::supported();
    if args.levels {
        for level in &supported {
            println!("{level}");
        }
        return Ok(());
    }
    let level = simd::level()?;
    let names: Vec<&str> = supported.iter().map(|l| l.name()).collect();
    let threads = rayon::current_num_threads();
    let memory = hopfield::guard::available();
    if args.json {
        let doc = json!({
            "version": env!("CARGO_PKG_VERSION"),
            "kernels": level.name(),
            "supported": names,
            "forced": std::env::var(simd::VARIABLE).ok().filter(|v| !v.trim().is_empty()).is_some(),
            "threads": threads,
            "memory_available": memory,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    let how = if std::env::var(simd::VARIABLE).is_ok_and(|v| !v.trim().is_empty()) {
        format!("forced by {}", simd::VARIABLE)
    } else {
        format!("the best it has; {}=... forces another", simd::VARIABLE)
    };
    println!("hopfield {}", env!("CARGO_PKG_VERSION"));
    println!(
        "kernels: {level} ({how}); this processor runs {}",
        names.join(", ")
    );
    println!("threads: {threads}");
    match memory {
        Some(bytes) => println!("memory: {} available", hopfield::Bytes(bytes)),
        None => println!("memory: unknown"),
    }
    Ok(())
}
