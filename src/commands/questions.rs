//! Questions more than one command asks.

use crate::error::Result;
use crate::prompt::{Asker, Choice, Question, invalid};

pub(crate) fn region_question() -> Question {
    Question::new("region", "Select the AWS region", "--region REGION")
}

/// The region question (init and env add): a given `--region` must be one of
/// `regions` (else the error names the nearest ones), `--yes` takes `default`.
pub(crate) fn ask_region(asker: &mut Asker, regions: &[String], default: usize) -> Result<String> {
    let q = region_question();
    if let Some(given) = asker.given("region")
        && !regions.iter().any(|r| r == given)
    {
        return Err(invalid(&q, crate::cloud::unknown_region(given)).into());
    }
    let choices: Vec<Choice> = regions.iter().map(|r| Choice::new(r, r)).collect();
    Ok(regions[asker.select(&q, &choices, default)?].clone())
}
