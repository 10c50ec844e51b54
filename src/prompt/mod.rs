//! The Prompter seam. Wizards ask through an [`Asker`], which answers from flags or
//! headless JSON first, then from defaults under `--yes`, then from the prompter:
//! inquire in a terminal, a script in tests, or nothing at all (an error that names
//! the flag or JSON key that would have answered).

mod inquire_prompter;
mod scripted;

pub use inquire_prompter::InquirePrompter;
pub use scripted::{Reply, ScriptedPrompter};

use std::collections::HashMap;

pub type Validator = fn(&str) -> Result<(), String>;

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("No answer for \"{message}\" (no terminal to ask in).\nSupply it with {supply}.")]
    Missing { message: String, supply: String },
    /// A pre-given answer that is not valid: names the flag (or JSON key) and why.
    #[error("Invalid value for {}: {reason}", flag_name(.supply))]
    Invalid { supply: String, reason: String },
    #[error("Cancelled; nothing was changed.")]
    Cancelled,
    #[error("The terminal prompt failed: {0}")]
    Terminal(String),
}

/// The flag of a supply hint (`--auth-access` of `--auth-access create,read,delete`),
/// or the whole hint when it is not a flag.
fn flag_name(supply: &str) -> &str {
    match supply.split_whitespace().next() {
        Some(flag) if flag.starts_with("--") => flag,
        _ => supply,
    }
}

/// One question, with the way to answer it without a terminal.
#[derive(Clone, Debug)]
pub struct Question {
    /// Key of the pre-given answers (a flag name without dashes, or a JSON key).
    pub id: &'static str,
    pub message: String,
    /// How to answer without a terminal, e.g. `--project-name NAME`.
    pub supply: String,
    /// Footer shown under the prompt.
    pub help: Option<String>,
    /// No default stands in for the answer under `--yes` (a choice of resource).
    pub required: bool,
    /// The answer is a secret: a terminal masks what is typed and never shows the default.
    pub secret: bool,
}

impl Question {
    pub fn new(id: &'static str, message: impl Into<String>, supply: impl Into<String>) -> Self {
        Question {
            id,
            message: message.into(),
            supply: supply.into(),
            help: None,
            required: false,
            secret: false,
        }
    }

    /// Under `--yes` a missing answer is an error, never the first choice.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn secret(mut self) -> Self {
        self.secret = true;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    /// What a flag or JSON answer names this choice by.
    pub value: String,
}

impl Choice {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Choice {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// What actually shows a question to someone.
pub trait Prompter {
    fn text(
        &mut self,
        q: &Question,
        default: Option<&str>,
        validate: Option<Validator>,
    ) -> Result<String, PromptError>;
    fn select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        default: usize,
    ) -> Result<usize, PromptError>;
    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool, PromptError>;
    /// Several choices; `defaults` are pre-selected indexes.
    fn multi_select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        defaults: &[usize],
    ) -> Result<Vec<usize>, PromptError>;
}

/// The prompter when there is no terminal: every question is an error naming its flag.
pub struct NoTerminal;

impl Prompter for NoTerminal {
    fn text(
        &mut self,
        q: &Question,
        _: Option<&str>,
        _: Option<Validator>,
    ) -> Result<String, PromptError> {
        Err(missing(q))
    }
    fn select(&mut self, q: &Question, _: &[Choice], _: usize) -> Result<usize, PromptError> {
        Err(missing(q))
    }
    fn confirm(&mut self, q: &Question, _: bool) -> Result<bool, PromptError> {
        Err(missing(q))
    }
    fn multi_select(
        &mut self,
        q: &Question,
        _: &[Choice],
        _: &[usize],
    ) -> Result<Vec<usize>, PromptError> {
        Err(missing(q))
    }
}

fn missing(q: &Question) -> PromptError {
    PromptError::Missing {
        message: q.message.clone(),
        supply: q.supply.clone(),
    }
}

/// Answers questions from pre-given values, defaults (`--yes`) or the prompter.
pub struct Asker<'p> {
    given: HashMap<&'static str, String>,
    yes: bool,
    prompter: &'p mut dyn Prompter,
}

impl<'p> Asker<'p> {
    pub fn new(prompter: &'p mut dyn Prompter, yes: bool) -> Self {
        Asker {
            given: HashMap::new(),
            yes,
            prompter,
        }
    }

    /// Pre-answers question `id` (from a flag or JSON key); `None` leaves it open.
    pub fn give(&mut self, id: &'static str, value: Option<impl Into<String>>) -> &mut Self {
        if let Some(v) = value {
            self.given.insert(id, v.into());
        }
        self
    }

    pub fn is_given(&self, id: &str) -> bool {
        self.given.contains_key(id)
    }

    /// The pre-given answer to question `id`, if any.
    pub fn given(&self, id: &str) -> Option<&str> {
        self.given.get(id).map(String::as_str)
    }

    /// Whether a person may be asked (false under `--yes` and headless).
    pub fn can_ask(&self) -> bool {
        !self.yes
    }

    /// The prompter behind this asker (to hand on to a nested step).
    pub fn prompter(&mut self) -> &mut dyn Prompter {
        self.prompter
    }

    pub fn text(
        &mut self,
        q: &Question,
        default: Option<&str>,
        validate: Option<Validator>,
    ) -> Result<String, PromptError> {
        if let Some(v) = self.given.get(q.id) {
            if let Some(check) = validate {
                check(v).map_err(|reason| invalid(q, reason))?;
            }
            return Ok(v.clone());
        }
        if self.yes && q.required {
            return Err(missing(q));
        }
        if let (true, Some(d)) = (self.yes, default) {
            return Ok(d.to_string());
        }
        self.prompter.text(q, default, validate)
    }

    pub fn select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        default: usize,
    ) -> Result<usize, PromptError> {
        if let Some(v) = self.given.get(q.id) {
            return choices
                .iter()
                .position(|c| &c.value == v || &c.label == v)
                .ok_or_else(|| {
                    let names: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                    invalid(q, format!("'{v}' is not one of: {}", names.join(", ")))
                });
        }
        if self.yes && q.required {
            return Err(missing(q));
        }
        if self.yes && !choices.is_empty() {
            return Ok(default.min(choices.len() - 1));
        }
        self.prompter.select(q, choices, default)
    }

    /// Several choices; a given answer is a comma-separated list of values.
    pub fn multi_select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        defaults: &[usize],
    ) -> Result<Vec<usize>, PromptError> {
        if let Some(v) = self.given.get(q.id) {
            let mut picked = Vec::new();
            for word in v.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                let i = choices
                    .iter()
                    .position(|c| c.value == word || c.label == word)
                    .ok_or_else(|| {
                        let names: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                        invalid(q, format!("'{word}' is not one of: {}", names.join(", ")))
                    })?;
                if !picked.contains(&i) {
                    picked.push(i);
                }
            }
            picked.sort();
            return Ok(picked);
        }
        if self.yes {
            return Ok(defaults.to_vec());
        }
        self.prompter.multi_select(q, choices, defaults)
    }

    /// Confirms an action the user asked for: `--yes` means yes, whatever the
    /// interactive default.
    pub fn proceed(&mut self, q: &Question, default: bool) -> Result<bool, PromptError> {
        if self.yes && !self.given.contains_key(q.id) {
            return Ok(true);
        }
        self.confirm(q, default)
    }

    pub fn confirm(&mut self, q: &Question, default: bool) -> Result<bool, PromptError> {
        if let Some(v) = self.given.get(q.id) {
            return match v.to_ascii_lowercase().as_str() {
                "y" | "yes" | "true" => Ok(true),
                "n" | "no" | "false" => Ok(false),
                _ => Err(invalid(q, format!("'{v}' is not yes or no"))),
            };
        }
        if self.yes {
            return Ok(default);
        }
        self.prompter.confirm(q, default)
    }
}

pub fn invalid(q: &Question, reason: String) -> PromptError {
    PromptError::Invalid {
        supply: q.supply.clone(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> Question {
        Question::new("env", "Enter a name for the environment", "--env NAME")
    }

    #[test]
    fn given_answers_win_and_are_validated() {
        let mut p = NoTerminal;
        let mut a = Asker::new(&mut p, false);
        a.give("env", Some("Prod"));
        let err = a
            .text(
                &q(),
                None,
                Some(|s| crate::project::EnvName::parse(s).map(|_| ())),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid value for --env: Environment name must be between 2 and 10 characters, and lowercase only."
        );
    }

    #[test]
    fn a_bad_word_in_a_list_names_the_flag_and_the_valid_words() {
        let mut p = NoTerminal;
        let mut a = Asker::new(&mut p, true);
        let q = Question::new(
            "auth-access",
            "What kind of access?",
            "--auth-access create,read,delete",
        );
        let choices = [
            Choice::new("create/update", "create"),
            Choice::new("read", "read"),
            Choice::new("delete", "delete"),
        ];
        a.give("auth-access", Some("read,write"));
        assert_eq!(
            a.multi_select(&q, &choices, &[]).unwrap_err().to_string(),
            "Invalid value for --auth-access: 'write' is not one of: create, read, delete"
        );
    }

    #[test]
    fn without_terminal_a_missing_answer_names_its_flag() {
        let mut p = NoTerminal;
        let mut a = Asker::new(&mut p, true);
        let err = a.text(&q(), None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No answer for \"Enter a name for the environment\" (no terminal to ask in).\nSupply it with --env NAME."
        );
        assert_eq!(a.text(&q(), Some("dev"), None).unwrap(), "dev");
    }

    #[test]
    fn select_matches_value_or_label() {
        let mut p = NoTerminal;
        let mut a = Asker::new(&mut p, false);
        let choices = [
            Choice::new("JavaScript", "javascript"),
            Choice::new("iOS", "ios"),
        ];
        a.give("env", Some("ios"));
        assert_eq!(a.select(&q(), &choices, 0).unwrap(), 1);
        a.give("env", Some("cobol"));
        assert!(
            a.select(&q(), &choices, 0)
                .unwrap_err()
                .to_string()
                .contains("javascript, ios")
        );
    }
}
