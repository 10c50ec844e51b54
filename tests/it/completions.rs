//! `authwiz completions SHELL` and `authwiz man`, generated from the parser's
//! definitions: bash completes a subcommand from its start, every shell gets a
//! script, and the manual names every command. No project needed.

use crate::support::*;

#[test]
fn bash_completes_import_from_im_and_every_shell_gets_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(authwiz_without_dir()
        .current_dir(dir.path())
        .args(["completions", "bash"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let script = dir.path().join("authwiz.bash");
    std::fs::write(&script, &r.stdout).unwrap();
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _authwiz authwiz '{}' '{}'; echo \"${{COMPREPLY[@]}}\"",
                script.display(),
                words.join(" "),
                words.len() - 1,
                words[words.len() - 1],
                words[words.len() - 2]
            ))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete("authwiz im"), "import");
    assert!(complete("authwiz backup ").contains("auth"));
    assert!(complete("authwiz users ").contains("reset-password"));
    // A flag's words: --sign-in's, --mfa's.
    let sign_in = complete("authwiz add auth --sign-in ");
    for w in ["username", "email", "phone", "email-or-phone"] {
        assert!(sign_in.split(' ').any(|x| x == w), "{sign_in}");
    }
    assert_eq!(complete("authwiz add auth --mfa o"), "off on optional");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let r = run(authwiz_without_dir().args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("authwiz"), "{shell}");
    }
    let r = run(authwiz_without_dir().args(["completions", "tcsh"]));
    assert_eq!(r.code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_manual_names_every_command() {
    let r = run(authwiz_without_dir().arg("man"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH authwiz 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    for command in [
        "import",
        "push",
        "export",
        "backup",
        "restore",
        "users",
        "groups",
        "completions",
    ] {
        assert!(r.stdout.contains(command), "{command}");
    }
}

/// Colours follow `--color`, `--no-color`, `NO_COLOR` and whether stderr is a
/// terminal (here it is not: `auto` gives none).
#[test]
fn colours_follow_the_flag_the_variable_and_the_terminal() {
    let dir = new_project("us-east-1", &[]);
    let coloured = |args: &[&str], no_color_env: bool| {
        let mut cmd = authwiz(dir.path());
        cmd.env_remove("NO_COLOR")
            .args(args)
            .args(["env", "checkout", "nope"]);
        if no_color_env {
            cmd.env("NO_COLOR", "1");
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stderr.contains('\u{1b}')
    };
    assert!(!coloured(&[], false));
    assert!(coloured(&["--color", "always"], false));
    assert!(coloured(&["--color", "always"], true));
    assert!(!coloured(&["--color", "always", "--no-color"], false));
    assert!(!coloured(&["--color", "never"], false));
    // A bad value is bad usage, named with the valid words.
    let r = run(authwiz(dir.path()).args(["--color", "sometimes", "status"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("auto") && r.stderr.contains("never"),
        "{}",
        r.stderr
    );
}
