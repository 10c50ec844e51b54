//! Terminal output: human text to stderr, machine output to stdout, styling, tables.
//! Both sinks can be captured (in-process tests).

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex};

use console::Style;

/// A shared buffer for capturing output in tests.
pub type Captured = Arc<Mutex<Vec<u8>>>;

/// Where text goes; shareable with the AWS call trace, which runs inside the SDK.
#[derive(Clone)]
enum Sink {
    Stderr,
    Stdout,
    Buffer(Captured),
}

impl Sink {
    fn write(&self, text: &str) -> std::io::Result<()> {
        match self {
            Sink::Stderr => std::io::stderr().write_all(text.as_bytes()),
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|_| out.flush())
            }
            Sink::Buffer(b) => b
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .write_all(text.as_bytes()),
        }
    }
}

pub struct Ui {
    human: Sink,
    machine: Sink,
    /// The first failed write of machine output (a full disk, a closed pipe): the
    /// command then fails, since a script would read a truncated document.
    machine_error: RefCell<Option<std::io::Error>>,
    color: bool,
    pub verbose: bool,
}

impl Ui {
    pub fn terminal(color: bool, verbose: bool) -> Self {
        Ui {
            human: Sink::Stderr,
            machine: Sink::Stdout,
            machine_error: RefCell::new(None),
            color: color && console::colors_enabled_stderr(),
            verbose,
        }
    }

    /// Captures human and machine output into two buffers.
    pub fn captured() -> (Self, Captured, Captured) {
        let (h, m): (Captured, Captured) = Default::default();
        (
            Ui {
                human: Sink::Buffer(h.clone()),
                machine: Sink::Buffer(m.clone()),
                machine_error: RefCell::new(None),
                color: false,
                verbose: false,
            },
            h,
            m,
        )
    }

    fn style(&self, s: Style, text: &str) -> String {
        if self.color {
            // Decided already (flag, NO_COLOR, terminal): console's own
            // check looks at stdout, not at stderr where this goes.
            s.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// A line of human output.
    pub fn line(&self, text: impl AsRef<str>) {
        // A lost line of human output changes nothing the user relies on.
        let _ = self.human.write(&format!("{}\n", text.as_ref()));
    }

    pub fn blank(&self) {
        self.line("");
    }

    pub fn success(&self, text: impl AsRef<str>) {
        self.line(self.style(Style::new().green(), &format!("✅ {}", text.as_ref())));
    }

    pub fn check(&self, text: impl AsRef<str>) {
        self.line(format!(
            "{} {}",
            self.style(Style::new().green(), "✔"),
            text.as_ref()
        ));
    }

    pub fn warn(&self, text: impl AsRef<str>) {
        self.line(self.style(Style::new().yellow(), &format!("⚠️ {}", text.as_ref())));
    }

    pub fn error(&self, text: impl AsRef<str>) {
        let mut lines = text.as_ref().lines();
        if let Some(first) = lines.next() {
            self.line(self.style(Style::new().red().bold(), &format!("🛑 {first}")));
        }
        for rest in lines {
            self.line(format!("   {rest}"));
        }
    }

    pub fn green(&self, text: &str) -> String {
        self.style(Style::new().green(), text)
    }

    /// With `-v`: where each AWS call attempt is reported (one dimmed line on the
    /// human output, i.e. stderr).
    pub fn call_log(&self) -> Option<Arc<dyn Fn(String) + Send + Sync>> {
        if !self.verbose {
            return None;
        }
        let (sink, color) = (self.human.clone(), self.color);
        Some(Arc::new(move |line: String| {
            let line = if color {
                Style::new().dim().apply_to(line).to_string()
            } else {
                line
            };
            // A trace line that cannot be written is not worth failing the call for.
            let _ = sink.write(&format!("{line}\n"));
        }))
    }

    /// A spinner on stderr while a network wait runs (only in a terminal, and not
    /// with `-v`, whose call lines it would overwrite).
    pub fn spinner(&self, msg: &str) -> Spinner {
        let show = matches!(self.human, Sink::Stderr)
            && !self.verbose
            && console::Term::stderr().is_term();
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new_spinner().with_message(msg.to_string());
            bar.enable_steady_tick(std::time::Duration::from_millis(90));
            bar
        });
        Spinner(bar)
    }

    /// A markdown table (Amplify's side-by-side comparisons).
    pub fn table(&self, header: &[&str], rows: &[Vec<String>]) {
        self.line(markdown_table(header, rows).trim_end());
    }

    /// Amplify's status table: each resource with its operation.
    pub fn status_table(&self, env: &str, changes: &[crate::push::plan::ResourceChange]) {
        self.blank();
        self.line(format!("    {} {env}", self.green("Current Environment:")));
        self.line("    ");
        let rows: Vec<Vec<String>> = changes
            .iter()
            .map(|c| {
                vec![
                    capitalize(&c.category),
                    c.name.clone(),
                    c.operation.label().to_string(),
                    c.provider_plugin.clone(),
                ]
            })
            .collect();
        let header = ["Category", "Resource name", "Operation", "Provider plugin"];
        self.line(boxed_table(&header, &rows).trim_end());
        self.blank();
    }

    /// Machine output (`--json`), one document per line.
    pub fn json(&self, value: &serde_json::Value) {
        self.machine_text(&format!("{value}\n"));
    }

    pub fn machine_text(&self, text: &str) {
        if let Err(e) = self.machine.write(text) {
            self.machine_error.borrow_mut().get_or_insert(e);
        }
    }

    /// Whether all machine output was written (checked once the command is done).
    pub fn machine_output_result(&self) -> std::io::Result<()> {
        match self.machine_error.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Clears its spinner when dropped.
pub struct Spinner(Option<indicatif::ProgressBar>);

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Each column's width: its widest cell or header.
fn widths(header: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Cells padded to their column's width, one space either side.
fn padded<S: AsRef<str>>(cells: &[S], widths: &[usize]) -> Vec<String> {
    cells
        .iter()
        .zip(widths)
        .map(|(c, w)| {
            let c = c.as_ref();
            format!(" {c}{} ", " ".repeat(w - c.chars().count()))
        })
        .collect()
}

/// A box-drawn table like the Amplify CLI's status table.
pub fn boxed_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths = widths(header, rows);
    let rule = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{l}{}{r}\n", parts.join(m))
    };
    let mut out = rule("┌", "┬", "┐");
    out += &format!("│{}│\n", padded(header, &widths).join("│"));
    out += &rule("├", "┼", "┤");
    for r in rows {
        out += &format!("│{}│\n", padded(r, &widths).join("│"));
    }
    out += &rule("└", "┴", "┘");
    out
}

/// A markdown table, as `amplify env list` prints.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths = widths(header, rows);
    let dashes: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let mut out = format!("|{}|\n", padded(header, &widths).join("|"));
    out += &format!("|{}|\n", padded(&dashes, &widths).join("|"));
    for r in rows {
        out += &format!("|{}|\n", padded(r, &widths).join("|"));
    }
    out
}

/// Renders a domain's notices on the console.
pub struct NoticeRenderer<'u> {
    ui: &'u Ui,
    spinner: Option<Spinner>,
    /// Headless runs print warnings and problems only.
    quiet: bool,
}

impl<'u> NoticeRenderer<'u> {
    pub fn new(ui: &'u Ui) -> Self {
        NoticeRenderer {
            ui,
            spinner: None,
            quiet: false,
        }
    }

    pub fn quiet(ui: &'u Ui) -> Self {
        NoticeRenderer {
            quiet: true,
            ..NoticeRenderer::new(ui)
        }
    }
}

impl crate::notice::Notices for NoticeRenderer<'_> {
    fn notice(&mut self, notice: crate::notice::Notice) {
        use crate::notice::Notice;
        // A message ends the current network wait.
        if !matches!(notice, Notice::Busy(Some(_))) {
            self.spinner = None;
        }
        match notice {
            Notice::Busy(Some(msg)) => self.spinner = Some(self.ui.spinner(&msg)),
            Notice::Busy(None) => {}
            Notice::Warn(t) => self.ui.warn(t),
            Notice::Problem(t) => self.ui.error(t),
            _ if self.quiet => {}
            Notice::Check(t) => self.ui.check(t),
            Notice::Info(t) => self.ui.line(t),
            Notice::Table {
                title,
                header,
                rows,
            } => {
                self.ui.line(title);
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                self.ui.table(&header, &rows);
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxed_table_matches_amplify_layout() {
        let t = boxed_table(
            &["Category", "Resource name", "Operation", "Provider plugin"],
            &[vec![
                "Auth".into(),
                "peerproj".into(),
                "Import".into(),
                "awscloudformation".into(),
            ]],
        );
        let expected = "\
┌──────────┬───────────────┬───────────┬───────────────────┐
│ Category │ Resource name │ Operation │ Provider plugin   │
├──────────┼───────────────┼───────────┼───────────────────┤
│ Auth     │ peerproj      │ Import    │ awscloudformation │
└──────────┴───────────────┴───────────┴───────────────────┘
";
        assert_eq!(t, expected);
    }
}
