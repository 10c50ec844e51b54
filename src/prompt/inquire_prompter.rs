//! The terminal prompter (inquire).

use inquire::validator::Validation;
use inquire::{Confirm, InquireError, MultiSelect, Password, PasswordDisplayMode, Select, Text};

use super::{Choice, PromptError, Prompter, Question, Validator};

/// Lists longer than this are paged, with type-to-filter (as Amplify's autocomplete).
const PAGE_SIZE: usize = 5;

pub struct InquirePrompter;

fn map_err(e: InquireError) -> PromptError {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => {
            PromptError::Cancelled
        }
        other => PromptError::Terminal(other.to_string()),
    }
}

/// A secret is typed masked; its default (the current secret) is kept by Enter,
/// never shown.
fn secret(
    q: &Question,
    default: Option<&str>,
    validate: Option<Validator>,
) -> Result<String, PromptError> {
    let keep = default.filter(|d| !d.is_empty());
    let mut prompt = Password::new(&q.message)
        .without_confirmation()
        .with_display_mode(PasswordDisplayMode::Masked);
    let help = match (&q.help, keep) {
        (Some(h), _) => Some(h.clone()),
        (None, Some(_)) => Some("Enter keeps the current value".to_string()),
        (None, None) => None,
    };
    if let Some(h) = &help {
        prompt = prompt.with_help_message(h);
    }
    if let Some(check) = validate {
        let empty_keeps = keep.is_some();
        prompt = prompt.with_validator(move |s: &str| {
            let verdict = if s.is_empty() && empty_keeps {
                Ok(())
            } else {
                check(s)
            };
            Ok(match verdict {
                Ok(()) => Validation::Valid,
                Err(msg) => Validation::Invalid(msg.into()),
            })
        });
    }
    let typed = prompt.prompt().map_err(map_err)?;
    Ok(match keep {
        Some(current) if typed.is_empty() => current.to_string(),
        _ => typed,
    })
}

impl Prompter for InquirePrompter {
    fn text(
        &mut self,
        q: &Question,
        default: Option<&str>,
        validate: Option<Validator>,
    ) -> Result<String, PromptError> {
        if q.secret {
            return secret(q, default, validate);
        }
        let mut prompt = Text::new(&q.message);
        if let Some(d) = default {
            prompt = prompt.with_default(d);
        }
        if let Some(h) = &q.help {
            prompt = prompt.with_help_message(h);
        }
        if let Some(check) = validate {
            prompt = prompt.with_validator(move |s: &str| {
                Ok(match check(s) {
                    Ok(()) => Validation::Valid,
                    Err(msg) => Validation::Invalid(msg.into()),
                })
            });
        }
        prompt.prompt().map_err(map_err)
    }

    fn select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        default: usize,
    ) -> Result<usize, PromptError> {
        let labels: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
        let mut prompt = Select::new(&q.message, labels)
            .with_starting_cursor(default.min(choices.len().saturating_sub(1)))
            .with_page_size(PAGE_SIZE);
        if let Some(h) = &q.help {
            prompt = prompt.with_help_message(h);
        }
        prompt.raw_prompt().map(|o| o.index).map_err(map_err)
    }

    fn multi_select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        defaults: &[usize],
    ) -> Result<Vec<usize>, PromptError> {
        let labels: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
        let mut prompt = MultiSelect::new(&q.message, labels).with_default(defaults);
        if let Some(h) = &q.help {
            prompt = prompt.with_help_message(h);
        }
        prompt
            .raw_prompt()
            .map(|picked| picked.into_iter().map(|o| o.index).collect())
            .map_err(map_err)
    }

    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool, PromptError> {
        let mut prompt = Confirm::new(&q.message).with_default(default);
        if let Some(h) = &q.help {
            prompt = prompt.with_help_message(h);
        }
        prompt.prompt().map_err(map_err)
    }
}
