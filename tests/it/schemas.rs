//! The JSON Schemas of schemas/ against authwiz itself: each is a valid draft
//! 2020-12 schema; every payload example of README.md and docs/, and the
//! fixtures' payloads, validate against theirs; for a handful of payloads per
//! schema, the schema's verdict (the emulator virtualenv's `jsonschema`) is
//! the real command's (offline, or on the emulator where the ids are checked in
//! the cloud), and a refused payload changes no file; `authwiz schema` prints
//! them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::emulator::Emulator;
use crate::support::seed::{Corp, Seeder};
use crate::support::*;

const NAMES: [&str; 6] = [
    "add-auth",
    "update-auth",
    "import-auth",
    "categories",
    "override",
    "storage",
];

fn schema_path(name: &str) -> PathBuf {
    repo().join("schemas").join(format!("{name}.schema.json"))
}

fn python() -> PathBuf {
    repo().join(".tools/venv/bin/python")
}

/// Runs `script` with the emulator virtualenv's Python, `input` on stdin; its stdout as JSON.
fn py(script: &str, input: &Value) -> Value {
    let mut cmd = std::process::Command::new(python());
    cmd.args(["-c", script]);
    let r = with_stdin(&mut cmd, &input.to_string());
    assert_eq!(
        r.code, 0,
        "python (scripts/setup-emulator.sh installs jsonschema): {}",
        r.stderr
    );
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// Each `(schema, instance)` checked with `jsonschema.Draft202012Validator`: Ok,
/// or the errors (path: message).
fn validate(cases: &[(&str, Value)]) -> Vec<Result<(), String>> {
    let schemas: BTreeMap<&str, String> = NAMES
        .iter()
        .map(|n| (*n, schema_path(n).display().to_string()))
        .collect();
    let script = "import json, sys, jsonschema\n\
        req = json.load(sys.stdin)\n\
        schemas = {n: jsonschema.Draft202012Validator(json.load(open(p))) for n, p in req['schemas'].items()}\n\
        out = []\n\
        for name, doc in req['cases']:\n\
        \x20   errors = sorted(schemas[name].iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))\n\
        \x20   out.append(['/'.join(map(str, e.absolute_path)) + ': ' + e.message for e in errors])\n\
        print(json.dumps(out))";
    let out = py(
        script,
        &json!({"schemas": schemas, "cases": cases.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>()}),
    );
    out.as_array()
        .unwrap()
        .iter()
        .map(|errors| {
            let errors: Vec<&str> = errors
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap())
                .collect();
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors.join("; "))
            }
        })
        .collect()
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema() {
    let script = "import json, sys, jsonschema\n\
        out = {}\n\
        for p in json.load(sys.stdin):\n\
        \x20   s = json.load(open(p))\n\
        \x20   try:\n\
        \x20       jsonschema.Draft202012Validator.check_schema(s)\n\
        \x20       ok = jsonschema.validators.validator_for(s) is jsonschema.Draft202012Validator\n\
        \x20       out[p] = 'ok' if ok else 'not draft 2020-12'\n\
        \x20   except jsonschema.SchemaError as e:\n\
        \x20       out[p] = str(e)\n\
        print(json.dumps(out))";
    let paths: Vec<String> = NAMES
        .iter()
        .map(|n| schema_path(n).display().to_string())
        .collect();
    let out = py(script, &json!(paths));
    for p in &paths {
        assert_eq!(out[p], "ok", "{p}");
    }
    // Nothing in schemas/ that `authwiz schema` does not know.
    let mut files: Vec<String> = std::fs::read_dir(repo().join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    let mut expected: Vec<String> = NAMES.iter().map(|n| format!("{n}.schema.json")).collect();
    expected.sort();
    assert_eq!(files, expected);
    for n in NAMES {
        let s = read_json(schema_path(n));
        assert_eq!(
            s["$id"],
            format!("https://authwiz.dev/schemas/{n}.schema.json")
        );
    }
}

/// Ids of the right format for the docs' `..` / `…` placeholders.
const SAMPLE_IDS: [(&str, &str); 4] = [
    ("userPoolId", "us-east-1_AbCdEf123"),
    ("webClientId", "1example23456789abcdefghij"),
    ("nativeClientId", "2example23456789abcdefghij"),
    (
        "identityPoolId",
        "us-east-1:11111111-2222-3333-4444-555555555555",
    ),
];

fn fill_placeholders(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                let hole = x.as_str().is_some_and(|s| s == ".." || s.contains('…'));
                match SAMPLE_IDS.iter().find(|(key, _)| key == k) {
                    Some((_, id)) if hole => *x = json!(id),
                    _ => fill_placeholders(x),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fill_placeholders),
        _ => {}
    }
}

/// Which schema a JSON document is a payload of, by its shape (None: another
/// kind of document, such as an IAM policy or the storage request).
fn schema_of(v: &Value) -> Option<&'static str> {
    let obj = v.as_object()?;
    let has = |k: &str| obj.contains_key(k);
    let overrides = [
        "$schema",
        "userPool",
        "userPoolClientWeb",
        "userPoolClient",
        "identityPool",
    ];
    if has("serviceConfiguration") {
        Some("add-auth")
    } else if has("serviceModification") {
        Some("update-auth")
    } else if has("version") && has("userPoolId") {
        Some("import-auth")
    } else if obj.len() == 1 && has("auth") {
        Some("categories")
    } else if !obj.is_empty() && obj.keys().all(|k| overrides.contains(&k.as_str())) {
        Some("override")
    } else if has("bucketName") && has("storageAccess") {
        Some("storage")
    } else {
        None
    }
}

/// The JSON documents of README.md and docs/*.md: every ```json block, and every
/// single-quoted `'{…}'` in other blocks (`echo '…' | authwiz …`, `--categories '…'`).
fn documented_json() -> Vec<(String, Value)> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((n, line)) = lines.next() {
            let Some(lang) = line.trim().strip_prefix("```") else {
                continue;
            };
            let lang = lang.trim().to_string();
            let body: Vec<&str> = lines
                .by_ref()
                .map(|(_, l)| l)
                .take_while(|l| l.trim() != "```")
                .collect();
            let body = body.join("\n");
            let at = format!("{name}:{}", n + 1);
            if lang == "json" {
                let v: Value = serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("{at}: a ```json block that is not JSON: {e}"));
                out.push((at, v));
                continue;
            }
            let mut rest = body.as_str();
            while let Some(start) = rest.find("'{") {
                let after = &rest[start + 1..];
                let Some(end) = after.find('\'') else { break };
                let v: Value = serde_json::from_str(&after[..end]).unwrap_or_else(|e| {
                    panic!("{at}: a quoted JSON example that is not JSON: {e}")
                });
                out.push((at.clone(), v));
                rest = &after[end + 1..];
            }
        }
    }
    out
}

#[test]
fn every_documented_payload_and_fixture_payload_matches_its_schema() {
    let mut cases: Vec<(String, &str, Value)> = Vec::new();
    let mut others = Vec::new();
    for (at, mut v) in documented_json() {
        fill_placeholders(&mut v);
        match schema_of(&v) {
            Some(name) => cases.push((at, name, v)),
            None => others.push(at),
        }
    }
    let counted = |name: &str| cases.iter().filter(|(_, n, _)| *n == name).count();
    let docs: BTreeMap<&str, usize> = NAMES.iter().map(|n| (*n, counted(n))).collect();
    for (name, at_least) in [
        ("add-auth", 2),
        ("update-auth", 1),
        ("import-auth", 2),
        ("categories", 2),
        ("override", 2),
    ] {
        assert!(
            docs[name] >= at_least,
            "{name}: {} documented example(s), expected {at_least} or more; {docs:?}",
            docs[name]
        );
    }
    let fixtures = repo().join("tests/fixtures/amplify-cli-14.2.2-managed/payloads");
    let mut payloads: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    payloads.sort();
    assert!(payloads.len() >= 5, "{payloads:?}");
    for p in &payloads {
        let v = read_json(p);
        let file = p.file_name().unwrap().to_string_lossy().to_string();
        let expected = if file.starts_with("update") {
            "update-auth"
        } else {
            "add-auth"
        };
        assert_eq!(schema_of(&v), Some(expected), "{file}");
        cases.push((format!("fixture {file}"), expected, v));
    }
    let verdicts = validate(
        &cases
            .iter()
            .map(|(_, n, v)| (*n, v.clone()))
            .collect::<Vec<_>>(),
    );
    let failed: Vec<String> = cases
        .iter()
        .zip(&verdicts)
        .filter_map(|((at, name, v), verdict)| {
            verdict
                .as_ref()
                .err()
                .map(|e| format!("{at} ({name}): {e}\n  {v}"))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    eprintln!(
        "validated {} documented and {} fixture payloads ({docs:?}); other JSON documents: {others:?}",
        cases.len() - payloads.len(),
        payloads.len()
    );
}

/// One hand-written payload: a label, the document, and whether it is meant to
/// be valid.
struct Case {
    label: &'static str,
    doc: Value,
    valid: bool,
}

fn ok(label: &'static str, doc: Value) -> Case {
    Case {
        label,
        doc,
        valid: true,
    }
}

fn bad(label: &'static str, doc: Value) -> Case {
    Case {
        label,
        doc,
        valid: false,
    }
}

/// Checks every case with the schema, then with `run` (authwiz's exit status and
/// whether the files are unchanged); all disagreements are reported at once.
/// Returns (accepted, refused).
fn agree(
    schema: &str,
    cases: &[Case],
    mut run: impl FnMut(&Case) -> (Run, bool),
) -> (usize, usize) {
    let verdicts = validate(
        &cases
            .iter()
            .map(|c| (schema, c.doc.clone()))
            .collect::<Vec<_>>(),
    );
    let mut problems = Vec::new();
    for (c, verdict) in cases.iter().zip(&verdicts) {
        if verdict.is_ok() != c.valid {
            problems.push(format!(
                "{}: the schema says {:?}, the case is meant to be {}",
                c.label,
                verdict,
                if c.valid { "valid" } else { "invalid" }
            ));
            continue;
        }
        let (r, unchanged) = run(c);
        let accepted = match r.code {
            0 => true,
            1 => false,
            other => {
                problems.push(format!("{}: exit {other}: {}", c.label, r.stderr));
                continue;
            }
        };
        if accepted != c.valid {
            problems.push(format!(
                "{}: authwiz {} it, the schema {} it ({:?})\n{}",
                c.label,
                if accepted { "accepts" } else { "refuses" },
                if c.valid { "accepts" } else { "refuses" },
                verdict,
                r.stderr
            ));
        }
        if !accepted && !unchanged {
            problems.push(format!("{}: refused, but a file changed", c.label));
        }
    }
    assert!(problems.is_empty(), "{schema}:\n{}", problems.join("\n\n"));
    let accepted = cases.iter().filter(|c| c.valid).count();
    (accepted, cases.len() - accepted)
}

/// A command with a HOME of the test's own (deployment secrets go there).
fn cmd(dir: &Path, home: &Path, args: &[&str]) -> std::process::Command {
    let mut c = authwiz(dir);
    c.env("HOME", home).args(args);
    c
}

/// The project folder and the home folder, as one snapshot.
fn state(dir: &Path, home: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    (snapshot(dir), snapshot(home))
}

/// An offline project (`init --yes`, every AWS call to a closed port).
fn offline_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r =
        run(init_yes(dir.path(), "schemaproj", "us-east-1")
            .args(["--endpoint-url", CLOSED_ENDPOINT]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn copy_of(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(dir, copy.path());
    copy
}

fn fixture_payload(name: &str) -> Value {
    read_json(
        repo()
            .join("tests/fixtures/amplify-cli-14.2.2-managed/payloads")
            .join(format!("{name}.json")),
    )
}

/// `serviceConfiguration.userPoolConfiguration` of a minimal AddAuthRequest set to `up`.
fn add_request(up: Value) -> Value {
    json!({"version": 2, "resourceName": "myauth", "serviceConfiguration": {
        "serviceName": "Cognito", "userPoolConfiguration": up, "includeIdentityPool": true}})
}

fn with_triggers(triggers: Value) -> Value {
    let mut v =
        add_request(json!({"signinMethod": "USERNAME", "requiredSignupAttributes": ["EMAIL"]}));
    v["triggers"] = triggers;
    v
}

fn add_auth_cases() -> Vec<Case> {
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:migrate";
    vec![
        ok("the fixture's default", fixture_payload("add-default")),
        ok(
            "every key, with unknown keys and nulls",
            json!({"$schema": "https://authwiz.dev/schemas/add-auth.schema.json", "version": 2,
                "resourceName": "fullauth", "comment": "ignored", "serviceConfiguration": {
                "serviceName": "Cognito", "includeIdentityPool": true, "extra": {"any": 1},
                "identityPoolConfiguration": {"identityPoolName": "full_identitypool", "unauthenticatedLogin": true,
                    "identitySocialFederation": [{"provider": "GOOGLE", "clientId": "google-app"}, {"provider": "APPLE", "clientId": "com.example.app"}]},
                "userPoolConfiguration": {
                    "signinMethod": "EMAIL", "requiredSignupAttributes": ["EMAIL", "NAME", "ZONE_INFO"],
                    "aliasAttributes": null, "userPoolName": "full pool.1", "adminQueries": null,
                    "userPoolGroups": [{"groupName": "admins", "customPolicy": null}, {"groupName": "users+1@x"}],
                    "mfa": {"mode": "OPTIONAL", "mfaTypes": ["SMS", "TOTP"], "smsMessage": "Code {####}"},
                    "passwordPolicy": {"minimumLength": 12, "additionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_DIGIT"]},
                    "refreshTokenPeriod": 45, "readAttributes": ["EMAIL", "EMAIL_VERIFIED", "NAME"], "writeAttributes": ["NAME"],
                    "autoVerifiedAttributes": [{"type": "EMAIL", "verificationMessage": "Code {####}", "verificationSubject": "Your code"}],
                    "oAuth": {"domainPrefix": "fullauth", "redirectSigninURIs": ["https://app.example.com/"],
                        "redirectSignoutURIs": ["https://app.example.com/"], "oAuthGrantType": "CODE",
                        "oAuthScopes": ["EMAIL", "OPENID", "AWS.COGNITO.SIGNIN.USER.ADMIN"],
                        "socialProviderConfigurations": [
                            {"provider": "GOOGLE", "clientId": "gid", "clientSecret": "gsecret"},
                            {"provider": "SIGN_IN_WITH_APPLE", "clientId": "com.example.sid", "teamId": "TEAM", "keyId": "KEY", "privateKey": null}]}}},
                "triggers": {
                    "modules": {"PostConfirmation": ["add-to-group"], "PreSignup": ["email-filter-denylist", "custom"]},
                    "params": {"GROUP": " admins ", "DOMAINDENYLIST": "spam.com, , junk.org,", "UNUSED": "kept"},
                    "functions": {"UserMigration": arn}}}),
        ),
        ok(
            "user pool only, MFA off, null options",
            json!({"version": 2, "resourceName": "uponly", "triggers": null, "serviceConfiguration": {
                "serviceName": "Cognito", "includeIdentityPool": false, "identityPoolConfiguration": null,
                "userPoolConfiguration": {"signinMethod": "PHONE_NUMBER", "requiredSignupAttributes": [],
                    "mfa": {"mode": "OFF"}, "passwordPolicy": null, "oAuth": null, "userPoolGroups": null}}}),
        ),
        ok(
            "triggers with every value checked",
            with_triggers(json!({
                "modules": {"CustomMessage": ["verification-link"], "UserMigration": ["user-migration"],
                    "VerifyAuthChallengeResponse": ["captcha-verify"], "DefineAuthChallenge": ["captcha-define-challenge"],
                    "CreateAuthChallenge": ["captcha-create-challenge"], "PreTokenGeneration": ["alter-claims"]},
                "params": {"REDIRECTURL": "http://localhost:3000/", "EMAILSUBJECT": "Confirm", "EMAILMESSAGE": "Click",
                    "OLDUSERPOOLID": " us-east-1_Old123 ", "OLDCLIENTID": "oldclient1", "RECAPTCHASECRET": "s3cret",
                    "CLAIMSTOADD": "{\"tier\":\"gold\"}", "CLAIMSTOSUPPRESS": ""}})),
        ),
        ok(
            "an attached function in another partition",
            with_triggers(
                json!({"functions": {"PreAuthentication": "arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live"}}),
            ),
        ),
        bad("version 1", {
            let mut v = fixture_payload("add-default");
            v["version"] = json!(1);
            v
        }),
        bad("version as text", {
            let mut v = fixture_payload("add-default");
            v["version"] = json!("2");
            v
        }),
        bad("a resource name with a hyphen", {
            let mut v = fixture_payload("add-default");
            v["resourceName"] = json!("my-auth");
            v
        }),
        bad("no includeIdentityPool", {
            let mut v = fixture_payload("add-default");
            v["serviceConfiguration"]
                .as_object_mut()
                .unwrap()
                .remove("includeIdentityPool");
            v
        }),
        bad(
            "a sign-in method in lower case",
            add_request(json!({"signinMethod": "email", "requiredSignupAttributes": []})),
        ),
        bad(
            "an unknown attribute",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": ["EMAIL_ADDRESS"]}),
            ),
        ),
        bad(
            "MFA on without its message",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "mfa": {"mode": "ON", "mfaTypes": ["TOTP"]}}),
            ),
        ),
        bad(
            "MFA optional without a type",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "mfa": {"mode": "OPTIONAL", "mfaTypes": [], "smsMessage": "x {####}"}}),
            ),
        ),
        bad(
            "the admin queries API",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "adminQueries": {"permissions": {"restrictAccess": false}}}),
            ),
        ),
        bad(
            "a group's custom policy",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "userPoolGroups": [{"groupName": "a", "customPolicy": {}}]}),
            ),
        ),
        bad(
            "a group name with a space",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "userPoolGroups": [{"groupName": "power users"}]}),
            ),
        ),
        bad(
            "a negative refresh token period",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "refreshTokenPeriod": -1}),
            ),
        ),
        bad(
            "Google without its secret",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "oAuth": {
            "redirectSigninURIs": [], "redirectSignoutURIs": [], "oAuthGrantType": "CODE", "oAuthScopes": [],
            "socialProviderConfigurations": [{"provider": "GOOGLE", "clientId": "g"}]}}),
            ),
        ),
        bad(
            "Apple without its key id",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "oAuth": {
            "redirectSigninURIs": [], "redirectSignoutURIs": [], "oAuthGrantType": "IMPLICIT", "oAuthScopes": ["OPENID"],
            "socialProviderConfigurations": [{"provider": "SIGN_IN_WITH_APPLE", "clientId": "s", "teamId": "t", "keyId": null}]}}),
            ),
        ),
        bad(
            "OAuth without scopes",
            add_request(
                json!({"signinMethod": "EMAIL", "requiredSignupAttributes": [], "oAuth": {
            "redirectSigninURIs": [], "redirectSignoutURIs": [], "oAuthGrantType": "CODE"}}),
            ),
        ),
        bad(
            "an unknown key in triggers",
            with_triggers(json!({"module": {}})),
        ),
        bad(
            "triggers.modules null",
            with_triggers(json!({"modules": null})),
        ),
        bad(
            "a trigger in the wrong case",
            with_triggers(json!({"modules": {"PreSignUp": ["custom"]}})),
        ),
        bad(
            "a module of another trigger",
            with_triggers(
                json!({"modules": {"PreSignup": ["add-to-group"]}, "params": {"GROUP": "a"}}),
            ),
        ),
        bad(
            "a trigger without modules",
            with_triggers(json!({"modules": {"PostAuthentication": []}})),
        ),
        bad(
            "add-to-group without its group",
            with_triggers(json!({"modules": {"PostConfirmation": ["add-to-group"]}})),
        ),
        bad(
            "modules and a function on one trigger",
            with_triggers(
                json!({"modules": {"UserMigration": ["custom"]}, "functions": {"UserMigration": arn}}),
            ),
        ),
        bad(
            "a function ARN with a short account",
            with_triggers(
                json!({"functions": {"UserMigration": "arn:aws:lambda:us-east-1:1234:function:f"}}),
            ),
        ),
        bad(
            "a denylist with a phrase",
            with_triggers(
                json!({"modules": {"PreSignup": ["email-filter-denylist"]}, "params": {"DOMAINDENYLIST": "spam.com, not a domain"}}),
            ),
        ),
        bad(
            "an empty allowlist",
            with_triggers(
                json!({"modules": {"PreSignup": ["email-filter-allowlist"]}, "params": {"DOMAINALLOWLIST": " , "}}),
            ),
        ),
        bad(
            "a redirect URL too short",
            with_triggers(
                json!({"modules": {"CustomMessage": ["verification-link"]}, "params": {"REDIRECTURL": "http://x", "EMAILSUBJECT": "s", "EMAILMESSAGE": "m"}}),
            ),
        ),
        bad(
            "a blank email subject",
            with_triggers(
                json!({"modules": {"CustomMessage": ["verification-link"]}, "params": {"REDIRECTURL": "https://x", "EMAILSUBJECT": "  ", "EMAILMESSAGE": "m"}}),
            ),
        ),
        bad(
            "a user pool id without its region",
            with_triggers(
                json!({"modules": {"UserMigration": ["user-migration"]}, "params": {"OLDUSERPOOLID": "pool", "OLDCLIENTID": "c"}}),
            ),
        ),
        bad(
            "a param that is not text",
            with_triggers(json!({"params": {"GROUP": 5}})),
        ),
    ]
}

#[test]
fn add_auth_headless_accepts_what_its_schema_accepts() {
    let home = tempfile::tempdir().unwrap();
    let base = offline_project();
    let (accepted, refused) = agree("add-auth", &add_auth_cases(), |c| {
        let dir = copy_of(base.path());
        let before = state(dir.path(), home.path());
        let r = with_stdin(
            &mut cmd(dir.path(), home.path(), &["add", "auth", "--headless"]),
            &c.doc.to_string(),
        );
        let unchanged = before == state(dir.path(), home.path());
        (r, unchanged)
    });
    eprintln!("add-auth: {accepted} accepted, {refused} refused, as the schema says");
}

fn update_request(upm: Value) -> Value {
    json!({"version": 2, "serviceModification": {"serviceName": "Cognito", "userPoolModification": upm, "includeIdentityPool": false}})
}

fn update_auth_cases() -> Vec<Case> {
    vec![
        ok("the fixture's update", fixture_payload("update-default")),
        ok(
            "the identity pool dropped, nothing else",
            update_request(json!({})),
        ),
        ok(
            "groups, MFA, the first OAuth, providers and triggers",
            json!({"version": 2, "triggers": {"modules": {"PostConfirmation": ["add-to-group"]}, "params": {"GROUP": "editors"}},
                "serviceModification": {"serviceName": "Cognito", "includeIdentityPool": true, "unknown": true,
                    "identityPoolModification": {"unauthenticatedLogin": true, "identitySocialFederation": [{"provider": "FACEBOOK", "clientId": "fb"}]},
                    "userPoolModification": {"userPoolGroups": [{"groupName": "editors"}, {"groupName": "readers"}],
                        "mfa": {"mode": "OPTIONAL", "mfaTypes": ["TOTP"], "smsMessage": "Code {####}"},
                        "passwordPolicy": {"minimumLength": null}, "refreshTokenPeriod": 7, "readAttributes": ["PHONE_NUMBER_VERIFIED"],
                        "writeAttributes": [], "autoVerifiedAttributes": [{"type": "PHONE_NUMBER", "verificationMessage": "{####}"}],
                        "adminQueries": null,
                        "oAuth": {"domainPrefix": "updauth", "redirectSigninURIs": ["myapp://"], "redirectSignoutURIs": ["myapp://"],
                            "oAuthGrantType": "IMPLICIT", "oAuthScopes": ["PHONE"],
                            "socialProviderConfigurations": [{"provider": "FACEBOOK", "clientId": "f", "clientSecret": "s"}]}}}}),
        ),
        ok(
            "no hosted UI, the identity pool kept, every trigger removed",
            json!({"version": 2, "triggers": {}, "serviceModification": {"serviceName": "Cognito", "includeIdentityPool": true,
                "identityPoolModification": {}, "userPoolModification": {"oAuth": {}, "userPoolGroups": []}}}),
        ),
        bad("version 1", {
            let mut v = fixture_payload("update-default");
            v["version"] = json!(1);
            v
        }),
        bad(
            "the identity pool without its modification",
            json!({"version": 2, "serviceModification": {
            "serviceName": "Cognito", "includeIdentityPool": true, "userPoolModification": {}}}),
        ),
        bad(
            "the identity pool with a null modification",
            json!({"version": 2, "serviceModification": {
            "serviceName": "Cognito", "includeIdentityPool": true, "identityPoolModification": null, "userPoolModification": {}}}),
        ),
        bad(
            "no userPoolModification",
            json!({"version": 2, "serviceModification": {"serviceName": "Cognito", "includeIdentityPool": false}}),
        ),
        bad("the resource name", {
            let mut v = update_request(json!({}));
            v["resourceName"] = json!("other");
            v
        }),
        bad(
            "the sign-in method",
            update_request(json!({"signinMethod": "EMAIL"})),
        ),
        bad(
            "the user pool name, even null",
            update_request(json!({"userPoolName": null})),
        ),
        bad(
            "the identity pool name",
            json!({"version": 2, "serviceModification": {"serviceName": "Cognito", "includeIdentityPool": true,
            "identityPoolModification": {"identityPoolName": "x"}, "userPoolModification": {}}}),
        ),
        bad(
            "the add request's configuration",
            json!({"version": 2, "serviceModification": {"serviceName": "Cognito", "includeIdentityPool": false,
            "userPoolModification": {}, "userPoolConfiguration": {}}}),
        ),
        bad(
            "a group listed twice",
            update_request(json!({"userPoolGroups": [{"groupName": "a"}, {"groupName": "a"}]})),
        ),
        bad(
            "a grant type in lower case",
            update_request(json!({"oAuth": {"oAuthGrantType": "code"}})),
        ),
        bad(
            "the admin queries API",
            update_request(json!({"adminQueries": {}})),
        ),
        bad("an unknown trigger", {
            let mut v = update_request(json!({}));
            v["triggers"] = json!({"modules": {"PreSignUp": ["custom"]}});
            v
        }),
    ]
}

#[test]
fn update_auth_headless_accepts_what_its_schema_accepts() {
    let home = tempfile::tempdir().unwrap();
    let base = offline_project();
    let r = with_stdin(
        &mut cmd(base.path(), home.path(), &["add", "auth", "--headless"]),
        &fixture_payload("add-default").to_string(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (accepted, refused) = agree("update-auth", &update_auth_cases(), |c| {
        let dir = copy_of(base.path());
        let before = state(dir.path(), home.path());
        let r = with_stdin(
            &mut cmd(dir.path(), home.path(), &["update", "auth", "--headless"]),
            &c.doc.to_string(),
        );
        let unchanged = before == state(dir.path(), home.path());
        (r, unchanged)
    });
    eprintln!("update-auth: {accepted} accepted, {refused} refused, as the schema says");
}

fn import_cases(corp: &Corp) -> Vec<Case> {
    let full = || -> Value { serde_json::from_str(&payload(corp, true)).unwrap() };
    let edit = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut v = full();
        f(v.as_object_mut().unwrap());
        v
    };
    vec![
        ok("user pool and identity pool", full()),
        ok(
            "user pool only",
            serde_json::from_str(&payload(corp, false)).unwrap(),
        ),
        bad(
            "version 2",
            edit(&|m| {
                m.insert("version".into(), json!(2));
            }),
        ),
        bad(
            "version as text",
            edit(&|m| {
                m.insert("version".into(), json!("1"));
            }),
        ),
        bad(
            "no native client",
            edit(&|m| {
                m.remove("nativeClientId");
            }),
        ),
        bad(
            "an unknown key",
            edit(&|m| {
                m.insert("region".into(), json!("us-east-1"));
            }),
        ),
        bad(
            "a user pool id without its region",
            edit(&|m| {
                m.insert("userPoolId".into(), json!("AbCdEf123"));
            }),
        ),
        bad(
            "an empty web client id",
            edit(&|m| {
                m.insert("webClientId".into(), json!(""));
            }),
        ),
        bad(
            "a client id with a hyphen",
            edit(&|m| {
                m.insert("webClientId".into(), json!("abc-def"));
            }),
        ),
        bad(
            "a null identity pool id",
            edit(&|m| {
                m.insert("identityPoolId".into(), Value::Null);
            }),
        ),
        bad(
            "an identity pool id that is not hex",
            edit(&|m| {
                m.insert("identityPoolId".into(), json!("us-east-1:not-a-uuid"));
            }),
        ),
    ]
}

#[test]
fn import_auth_headless_accepts_what_its_schema_accepts() {
    let emu = Emulator::start();
    let corp = Seeder::new(&emu, "us-east-1").corp();
    let home = tempfile::tempdir().unwrap();
    // Refused payloads share one project (nothing may change); accepted ones get their own.
    let shared = project_on(&emu.url(), "javascript");
    let (accepted, refused) = agree("import-auth", &import_cases(&corp), |c| {
        let fresh;
        let dir = if c.valid {
            fresh = project_on(&emu.url(), "javascript");
            fresh.path()
        } else {
            shared.path()
        };
        let before = state(dir, home.path());
        let r = with_stdin(
            &mut cmd(dir, home.path(), &["import", "auth", "--headless"]),
            &c.doc.to_string(),
        );
        let unchanged = before == state(dir, home.path());
        (r, unchanged)
    });
    eprintln!("import-auth: {accepted} accepted, {refused} refused, as the schema says");
}

fn categories_cases(corp: &Corp) -> Vec<Case> {
    let ids = json!({"userPoolId": corp.user_pool_id, "webClientId": corp.web_client_id,
        "nativeClientId": corp.native_client_id, "identityPoolId": corp.identity_pool_id});
    let with = |k: &str, v: Value| {
        let mut auth = ids.clone();
        auth[k] = v;
        json!({ "auth": auth })
    };
    vec![
        ok("every id", json!({ "auth": ids })),
        ok("nothing: the source env's ids", json!({})),
        ok("an empty auth", json!({"auth": {}})),
        ok(
            "empty and null ids: none given",
            json!({"auth": {"userPoolId": "", "webClientId": null}}),
        ),
        bad("an array", json!([])),
        bad("a null auth", json!({ "auth": null })),
        bad("auth as text", json!({"auth": "x"})),
        bad("another category", json!({"storage": {}})),
        bad(
            "a misspelled key",
            json!({"auth": {"userPoolID": corp.user_pool_id}}),
        ),
        bad("an id that is a number", with("userPoolId", json!(5))),
        bad(
            "one id alone",
            json!({"auth": {"userPoolId": corp.user_pool_id}}),
        ),
        bad("a web client left empty", with("webClientId", json!(""))),
        bad(
            "a user pool id of another format",
            with("userPoolId", json!("pool")),
        ),
        bad(
            "an identity pool id of another format",
            with("identityPoolId", json!("us-east-1:xyz")),
        ),
    ]
}

#[test]
fn env_add_categories_accepts_what_its_schema_accepts() {
    let emu = Emulator::start();
    let (dir, corp) = imported(&emu, "javascript");
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cases = categories_cases(&corp);
    // Each accepted payload adds an env of its own name to the same project.
    let mut names = ["ca", "cb", "cc", "cd", "ce", "cf"].into_iter();
    let (accepted, refused) = agree("categories", &cases, |c| {
        let name = if c.valid {
            names.next().unwrap()
        } else {
            "refused"
        };
        let before = state(root, home.path());
        let r = run(&mut cmd(
            root,
            home.path(),
            &[
                "env",
                "add",
                name,
                "--yes",
                "--categories",
                &c.doc.to_string(),
            ],
        ));
        let unchanged = before == state(root, home.path());
        (r, unchanged)
    });
    eprintln!("categories: {accepted} accepted, {refused} refused, as the schema says");
}

fn override_cases() -> Vec<Case> {
    vec![
        ok("nothing set", json!({})),
        ok(
            "email MFA, passwordless sign-in and WebAuthn",
            json!({"$schema": "https://authwiz.dev/schemas/override.schema.json",
                "userPool": {
                    "Policies.PasswordPolicy.MinimumLength": 14, "Policies.PasswordPolicy.RequireSymbols": false,
                    "Policies.PasswordPolicy.TemporaryPasswordValidityDays": 0,
                    "Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP"],
                    "WebAuthnRelyingPartyID": "example.com", "WebAuthnUserVerification": "required",
                    "UserPoolTier": "ESSENTIALS", "MfaConfiguration": "OPTIONAL", "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
                    "EmailAuthenticationMessage": "Code {####}", "EmailAuthenticationSubject": "Your code",
                    "EmailConfiguration.EmailSendingAccount": "DEVELOPER", "EmailConfiguration.From": "no-reply@example.com",
                    "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                    "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}, {"Name": "admin_only", "Priority": 2}]},
                "userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
                "userPoolClient": {}, "identityPool": {}}),
        ),
        ok(
            "threat protection, tokens and the classic flow",
            json!({"userPool": {"UserPoolTier": "PLUS", "UserPoolAddOns.AdvancedSecurityMode": "ENFORCED", "DeletionProtection": "ACTIVE",
                    "Policies.SignInPolicy.AllowedFirstAuthFactors": [], "EmailConfiguration.ReplyToEmailAddress": "help@example.com"},
                "userPoolClient": {"ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"], "AccessTokenValidity": 1, "IdTokenValidity": 315360000,
                    "RefreshTokenValidity": 30, "TokenValidityUnits.AccessToken": "hours", "TokenValidityUnits.IdToken": "minutes",
                    "TokenValidityUnits.RefreshToken": "days", "AuthSessionValidity": 15, "EnableTokenRevocation": true,
                    "PreventUserExistenceErrors": "ENABLED"},
                "identityPool": {"AllowClassicFlow": true}}),
        ),
        bad("an unknown resource", json!({"userpool": {}})),
        bad(
            "a misspelled path",
            json!({"userPool": {"Policies.PasswordPolicy.MinimumLenght": 14}}),
        ),
        bad(
            "a length out of range",
            json!({"userPool": {"Policies.PasswordPolicy.MinimumLength": 200}}),
        ),
        bad(
            "a plan that is not one",
            json!({"userPool": {"UserPoolTier": "GOLD"}}),
        ),
        bad(
            "a client path on the user pool",
            json!({"userPool": {"ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"]}}),
        ),
        bad(
            "email MFA without SES",
            json!({"userPool": {"EnabledMfas": ["EMAIL_OTP"], "UserPoolTier": "ESSENTIALS",
            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}}),
        ),
        bad(
            "email MFA with recovery by the same email",
            json!({"userPool": {"EnabledMfas": ["EMAIL_OTP"], "UserPoolTier": "PLUS",
            "EmailConfiguration.EmailSendingAccount": "DEVELOPER", "EmailConfiguration.From": "a@example.com",
            "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}}),
        ),
        bad(
            "first factors without the password",
            json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["EMAIL_OTP"],
            "UserPoolTier": "ESSENTIALS"}, "userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}}),
        ),
        bad(
            "passwordless without ALLOW_USER_AUTH",
            json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"],
            "UserPoolTier": "ESSENTIALS"}}),
        ),
        bad(
            "passwordless on the Lite plan",
            json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"],
            "UserPoolTier": "LITE"}, "userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}}),
        ),
        bad(
            "WebAuthn without its relying party",
            json!({"userPool": {"WebAuthnUserVerification": "preferred", "UserPoolTier": "ESSENTIALS"}}),
        ),
        bad(
            "threat protection without Plus",
            json!({"userPool": {"UserPoolAddOns.AdvancedSecurityMode": "AUDIT", "UserPoolTier": "ESSENTIALS"}}),
        ),
        bad(
            "flows without the refresh token",
            json!({"userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}}),
        ),
        bad(
            "three recovery mechanisms",
            json!({"userPool": {"AccountRecoverySetting.RecoveryMechanisms": [
            {"Name": "verified_email", "Priority": 1}, {"Name": "verified_phone_number", "Priority": 2}, {"Name": "admin_only", "Priority": 2}]}}),
        ),
        bad(
            "a blank sender",
            json!({"userPool": {"EmailConfiguration.From": "  "}}),
        ),
        bad(
            "a token unit in capitals",
            json!({"userPoolClient": {"TokenValidityUnits.IdToken": "HOURS"}}),
        ),
        bad("a resource that is null", json!({ "userPool": null })),
        bad("a $schema that is not text", json!({"$schema": 5})),
        bad("not an object", json!([])),
    ]
}

#[test]
fn override_check_accepts_what_its_schema_accepts() {
    let home = tempfile::tempdir().unwrap();
    let base = offline_project();
    // Sign-in by email: EMAIL_OTP as a first factor needs it.
    let r = with_stdin(
        &mut cmd(base.path(), home.path(), &["add", "auth", "--headless"]),
        &add_request(json!({"signinMethod": "EMAIL", "requiredSignupAttributes": ["EMAIL"]}))
            .to_string(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = base
        .path()
        .join("amplify/backend/auth/myauth/override.json");
    // The file authwiz creates names its schema first, and is valid by it.
    let r = run(&mut cmd(base.path(), home.path(), &["override", "auth"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let created = read_json(&file);
    assert_eq!(
        created
            .as_object()
            .unwrap()
            .keys()
            .next()
            .map(String::as_str),
        Some("$schema")
    );
    assert_eq!(
        created["$schema"],
        "https://authwiz.dev/schemas/override.schema.json"
    );
    let mut cases = vec![ok("the file authwiz creates", created)];
    cases.extend(override_cases());
    let (accepted, refused) = agree("override", &cases, |c| {
        let dir = copy_of(base.path());
        std::fs::write(
            dir.path().join("amplify/backend/auth/myauth/override.json"),
            serde_json::to_string_pretty(&c.doc).unwrap(),
        )
        .unwrap();
        let before = state(dir.path(), home.path());
        let r = run(&mut cmd(
            dir.path(),
            home.path(),
            &["override", "auth", "--check"],
        ));
        if r.code == 0 {
            // `$schema` is never a setting.
            assert!(!r.stderr.contains("$schema"), "{}: {}", c.label, r.stderr);
        }
        let unchanged = before == state(dir.path(), home.path());
        (r, unchanged)
    });
    eprintln!("override: {accepted} accepted, {refused} refused, as the schema says");
}

fn storage_inputs(bucket: &str) -> Value {
    json!({"resourceName": "files", "bucketName": bucket, "storageAccess": "auth", "guestAccess": [],
        "authAccess": ["CREATE_AND_UPDATE", "READ", "DELETE"], "triggerFunction": "NONE", "groupAccess": {}})
}

fn storage_cases() -> Vec<Case> {
    let with = |k: &str, v: Value| {
        let mut x = storage_inputs("team-assets");
        x[k] = v;
        x
    };
    vec![
        ok("the Amplify CLI's shape", storage_inputs("team-assets")),
        ok("guests, repeated words, an unknown key", {
            let mut v = with("storageAccess", json!("authAndGuest"));
            v["guestAccess"] = json!(["READ"]);
            v["authAccess"] = json!(["READ", "READ"]);
            v["lastEditor"] = json!("someone");
            v
        }),
        ok(
            "the least there can be",
            json!({"resourceName": "files", "bucketName": "abc"}),
        ),
        ok(
            "a name like an address with a leading zero",
            storage_inputs("01.2.3.4"),
        ),
        ok(
            "52 characters",
            storage_inputs(&format!("a{}", "b".repeat(51))),
        ),
        bad("an IP address", storage_inputs("192.168.1.10")),
        bad("capitals", storage_inputs("Team-Assets")),
        bad("two dots", storage_inputs("team..assets")),
        bad("a dot before a hyphen", storage_inputs("team.-assets")),
        bad("the xn-- prefix", storage_inputs("xn--assets")),
        bad(
            "53 characters",
            storage_inputs(&format!("a{}", "b".repeat(52))),
        ),
        bad("two characters", storage_inputs("ab")),
        bad("no bucket name", {
            let mut v = storage_inputs("x");
            v.as_object_mut().unwrap().remove("bucketName");
            v
        }),
        bad(
            "guests by another word",
            with("storageAccess", json!("guest")),
        ),
        bad("a null storageAccess", with("storageAccess", Value::Null)),
        bad("access in lower case", with("authAccess", json!(["read"]))),
        bad("access as text", with("authAccess", json!("READ"))),
        bad("a null guest list", with("guestAccess", Value::Null)),
        bad(
            "a resource name that is a number",
            with("resourceName", json!(5)),
        ),
    ]
}

#[test]
fn storage_cli_inputs_are_read_as_their_schema_says() {
    let home = tempfile::tempdir().unwrap();
    let base = offline_project();
    // A storage resource as backend-config.json names it; `env add` reads its
    // cli-inputs.json (offline: the project has no imported auth to check).
    let config = base.path().join("amplify/backend/backend-config.json");
    let mut v = read_json(&config);
    v["storage"] =
        json!({"files": {"service": "S3", "providerPlugin": "awscloudformation", "dependsOn": []}});
    std::fs::write(&config, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    std::fs::create_dir_all(base.path().join("amplify/backend/storage/files")).unwrap();
    let (accepted, refused) = agree("storage", &storage_cases(), |c| {
        let dir = copy_of(base.path());
        std::fs::write(
            dir.path()
                .join("amplify/backend/storage/files/cli-inputs.json"),
            serde_json::to_string_pretty(&c.doc).unwrap(),
        )
        .unwrap();
        let before = state(dir.path(), home.path());
        let r = run(&mut cmd(
            dir.path(),
            home.path(),
            &["env", "add", "prod", "--yes"],
        ));
        let unchanged = before == state(dir.path(), home.path());
        (r, unchanged)
    });
    eprintln!("storage: {accepted} accepted, {refused} refused, as the schema says");
}

#[test]
fn authwiz_schema_lists_prints_and_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let schema = |args: &[&str]| {
        run(authwiz_without_dir()
            .current_dir(dir.path())
            .arg("schema")
            .args(args))
    };
    let r = schema(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(listed, NAMES, "{}", r.stdout);
    for name in NAMES {
        let r = schema(&[name]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let file = std::fs::read_to_string(schema_path(name)).unwrap();
        assert_eq!(r.stdout, file, "{name}: printed as the file holds it");
        let printed: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(printed, read_json(schema_path(name)), "{name}");
    }
    let r = schema(&["nope"]);
    assert_eq!(r.code, 2, "an unknown name is bad usage: {}", r.stderr);
    for name in NAMES {
        assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
    }
    assert!(r.stdout.is_empty());
}
