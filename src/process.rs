//! The process seam: environment variables, standard input and the clock reach
//! authwiz through here, so flows run in tests without a machine's state.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

pub trait Process: Send + Sync {
    /// A variable's value; empty values count as set (callers decide).
    fn var(&self, name: &str) -> Option<String>;
    /// Names of the set variables that start with `prefix`.
    fn vars_with_prefix(&self, prefix: &str) -> Vec<String>;
    fn stdin_is_terminal(&self) -> bool;
    /// The whole of stdin, or `None` when nothing arrives within `wait`.
    fn read_stdin(&self, wait: Duration) -> Option<std::io::Result<String>>;
    fn now(&self) -> SystemTime;
    /// How long a pause of `d` before a retry really waits: all of it in the
    /// real process; none on a test's clock.
    fn pause(&self, d: Duration) -> Duration {
        d
    }
}

/// The real process.
pub struct RealProcess;

impl Process for RealProcess {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn vars_with_prefix(&self, prefix: &str) -> Vec<String> {
        std::env::vars()
            .filter(|(k, v)| k.starts_with(prefix) && !v.is_empty())
            .map(|(k, _)| k)
            .collect()
    }

    fn stdin_is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }

    fn read_stdin(&self, wait: Duration) -> Option<std::io::Result<String>> {
        let (tx, rx) = std::sync::mpsc::channel();
        // A reader thread, so a stdin that never closes cannot hang the command.
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = tx.send(
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text),
            );
        });
        rx.recv_timeout(wait).ok()
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A process for tests: given variables, stdin and clock.
#[derive(Clone, Debug)]
pub struct FakeProcess {
    pub vars: HashMap<String, String>,
    pub stdin: Option<String>,
    pub now: SystemTime,
}

impl Default for FakeProcess {
    fn default() -> Self {
        FakeProcess {
            vars: HashMap::new(),
            stdin: None,
            // 2026-11-22T05:14:05.897Z, the fixtures' push time.
            now: SystemTime::UNIX_EPOCH + Duration::from_millis(1_795_324_445_897),
        }
    }
}

impl FakeProcess {
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.into());
        self
    }
}

impl Process for FakeProcess {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn vars_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.vars
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && !v.is_empty())
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn stdin_is_terminal(&self) -> bool {
        false
    }

    fn read_stdin(&self, _: Duration) -> Option<std::io::Result<String>> {
        Some(Ok(self.stdin.clone().unwrap_or_default()))
    }

    fn now(&self) -> SystemTime {
        self.now
    }

    fn pause(&self, _: Duration) -> Duration {
        Duration::ZERO
    }
}

/// Another process with some variables replaced or removed; everything else
/// (other variables, stdin, the clock) is the inner one's. In-process test runs
/// use it to give the real process their own AWS keys.
pub struct Overlay {
    inner: Box<dyn Process>,
    /// `None`: removed.
    vars: HashMap<String, Option<String>>,
    /// Retries' pauses take no time (a test's clock).
    instant: bool,
}

impl Overlay {
    pub fn new(inner: impl Process + 'static) -> Self {
        Overlay {
            inner: Box::new(inner),
            vars: HashMap::new(),
            instant: false,
        }
    }

    /// Retries' pauses take no time.
    pub fn without_pauses(mut self) -> Self {
        self.instant = true;
        self
    }

    /// The real process, with the overrides that follow.
    pub fn real() -> Self {
        Overlay::new(RealProcess)
    }

    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), Some(value.into()));
        self
    }

    pub fn remove(mut self, name: &str) -> Self {
        self.vars.insert(name.into(), None);
        self
    }
}

impl Process for Overlay {
    fn pause(&self, d: Duration) -> Duration {
        if self.instant {
            Duration::ZERO
        } else {
            self.inner.pause(d)
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        match self.vars.get(name) {
            Some(value) => value.clone(),
            None => self.inner.var(name),
        }
    }

    fn vars_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .inner
            .vars_with_prefix(prefix)
            .into_iter()
            .filter(|k| !self.vars.contains_key(k))
            .collect();
        names.extend(
            self.vars
                .iter()
                .filter(|(k, v)| {
                    k.starts_with(prefix) && v.as_deref().is_some_and(|v| !v.is_empty())
                })
                .map(|(k, _)| k.clone()),
        );
        names
    }

    fn stdin_is_terminal(&self) -> bool {
        self.inner.stdin_is_terminal()
    }

    fn read_stdin(&self, wait: Duration) -> Option<std::io::Result<String>> {
        self.inner.read_stdin(wait)
    }

    fn now(&self) -> SystemTime {
        self.inner.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_replaces_and_removes_chosen_variables_only() {
        let inner = FakeProcess::default()
            .var("AWS_ACCESS_KEY_ID", "outer")
            .var("AWS_PROFILE", "work")
            .var("AWS_REGION", "eu-west-1")
            .var("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1")
            .stdin("payload");
        let now = inner.now;
        let p = Overlay::new(inner)
            .set("AWS_ACCESS_KEY_ID", "inner")
            .set("AWS_ENDPOINT_URL", "http://127.0.0.1:2")
            .set("AWS_ENDPOINT_URL_IAM", "")
            .remove("AWS_PROFILE")
            .remove("AWS_ENDPOINT_URL_S3");
        assert_eq!(p.var("AWS_ACCESS_KEY_ID").as_deref(), Some("inner"));
        assert_eq!(p.var("AWS_PROFILE"), None);
        assert_eq!(p.var("AWS_REGION").as_deref(), Some("eu-west-1"));
        assert_eq!(p.var("AWS_ENDPOINT_URL_IAM").as_deref(), Some(""));
        assert_eq!(p.vars_with_prefix("AWS_ENDPOINT_URL"), ["AWS_ENDPOINT_URL"]);
        let mut aws = p.vars_with_prefix("AWS_");
        aws.sort();
        assert_eq!(aws, ["AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_REGION"]);
        assert_eq!(p.read_stdin(Duration::ZERO).unwrap().unwrap(), "payload");
        assert!(!p.stdin_is_terminal());
        assert_eq!(p.now(), now);
    }
}
