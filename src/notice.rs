//! What domain code tells the user, as values: the domain emits notices, and
//! only the command layer (through `ui`) renders them.

/// One thing to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Something was checked or decided automatically (✔ line).
    Check(String),
    /// Plain information.
    Info(String),
    /// Something works but deserves attention, with the fix.
    Warn(String),
    /// Something failed that the flow recovers from (e.g. a pool that cannot be imported).
    Problem(String),
    /// A table with a title line.
    Table {
        title: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A network wait starts (`Some(message)`) or ends (`None`).
    Busy(Option<String>),
}

/// Where notices go.
pub trait Notices {
    fn notice(&mut self, notice: Notice);

    fn check(&mut self, text: impl Into<String>)
    where
        Self: Sized,
    {
        self.notice(Notice::Check(text.into()));
    }
}

/// Keeps notices (tests, and callers that decide later what to show).
#[derive(Debug, Default)]
pub struct Collected(pub Vec<Notice>);

impl Notices for Collected {
    fn notice(&mut self, notice: Notice) {
        self.0.push(notice);
    }
}

impl Collected {
    /// Every text notice, for assertions.
    pub fn texts(&self) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|n| match n {
                Notice::Check(t) | Notice::Info(t) | Notice::Warn(t) | Notice::Problem(t) => {
                    Some(t.clone())
                }
                Notice::Table { title, .. } => Some(title.clone()),
                Notice::Busy(_) => None,
            })
            .collect()
    }
}
