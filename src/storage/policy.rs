//! The IAM policy documents that give the identity pool's roles access to a
//! storage bucket, in the access model of the Amplify Storage library (public/,
//! protected/<identity>/, private/<identity>/, uploads/), and their diff.

use serde_json::{Value, json};

use super::{Access, StorageSettings};

const SUB: &str = "${cognito-identity.amazonaws.com:sub}";

/// Which role a policy is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Authenticated,
    Guest,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Authenticated => "authenticated",
            Audience::Guest => "unauthenticated",
        }
    }
}

/// The inline policy name on a role: deterministic from resource, env and audience.
pub fn policy_name(resource: &str, env: &str, audience: Audience) -> String {
    let who = match audience {
        Audience::Authenticated => "auth",
        Audience::Guest => "guest",
    };
    format!("authwiz-storage-{resource}-{env}-{who}")
}

fn actions(access: &[Access]) -> Vec<&'static str> {
    access
        .iter()
        .map(|a| match a {
            Access::CreateAndUpdate => "s3:PutObject",
            Access::Read => "s3:GetObject",
            Access::Delete => "s3:DeleteObject",
        })
        .collect()
}

/// The policy for one audience, or `None` when it gets no access.
pub fn document(settings: &StorageSettings, bucket: &str, audience: Audience) -> Option<Value> {
    let access = match audience {
        Audience::Authenticated => &settings.auth_access,
        Audience::Guest => &settings.guest_access,
    };
    if access.is_empty() {
        return None;
    }
    let arn = |path: &str| format!("arn:aws:s3:::{bucket}/{path}");
    let mut objects = vec![arn("public/*")];
    if audience == Audience::Authenticated {
        objects.push(arn(&format!("protected/{SUB}/*")));
        objects.push(arn(&format!("private/{SUB}/*")));
    }
    let mut statements = vec![json!({
        "Sid": "Objects",
        "Effect": "Allow",
        "Action": actions(access),
        "Resource": objects,
    })];
    if access.contains(&Access::CreateAndUpdate) {
        statements.push(json!({
            "Sid": "Uploads",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": [arn("uploads/*")],
        }));
    }
    if access.contains(&Access::Read) {
        statements.push(json!({
            "Sid": "ReadProtected",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [arn("protected/*")],
        }));
        let mut prefixes = vec![
            "public/".to_string(),
            "public/*".into(),
            "protected/".into(),
            "protected/*".into(),
        ];
        if audience == Audience::Authenticated {
            prefixes.push(format!("private/{SUB}/"));
            prefixes.push(format!("private/{SUB}/*"));
        }
        statements.push(json!({
            "Sid": "List",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": [format!("arn:aws:s3:::{bucket}")],
            "Condition": {"StringLike": {"s3:prefix": prefixes}},
        }));
    }
    Some(json!({"Version": "2012-10-17", "Statement": statements}))
}

/// One statement's change between two documents (by `Sid`).
#[derive(Clone, Debug, PartialEq)]
pub enum StatementChange {
    Added(Value),
    Changed { before: Value, after: Value },
    Removed(Value),
}

fn statements(doc: Option<&Value>) -> Vec<Value> {
    match doc.and_then(|d| d.get("Statement")) {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

fn sid(s: &Value) -> String {
    s.get("Sid")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| s.to_string())
}

pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<StatementChange> {
    let (old, new) = (statements(before), statements(after));
    let mut changes = Vec::new();
    for s in &new {
        match old.iter().find(|o| sid(o) == sid(s)) {
            None => changes.push(StatementChange::Added(s.clone())),
            Some(o) if o != s => changes.push(StatementChange::Changed {
                before: o.clone(),
                after: s.clone(),
            }),
            Some(_) => {}
        }
    }
    for o in &old {
        if !new.iter().any(|s| sid(s) == sid(o)) {
            changes.push(StatementChange::Removed(o.clone()));
        }
    }
    changes
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// True when a change lets a role do something it could not before.
pub fn broadens(changes: &[StatementChange]) -> bool {
    changes.iter().any(|c| match c {
        StatementChange::Added(_) => true,
        StatementChange::Changed { before, after } => {
            ["Action", "Resource"].iter().any(|k| {
                let old = strings(before, k);
                strings(after, k).iter().any(|x| !old.contains(x))
            }) || before.get("Condition") != after.get("Condition")
        }
        StatementChange::Removed(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(auth: &[Access], guest: &[Access]) -> StorageSettings {
        StorageSettings {
            resource_name: "files".into(),
            bucket_name: "b".into(),
            auth_access: auth.to_vec(),
            guest_access: guest.to_vec(),
        }
    }

    #[test]
    fn documents_follow_the_access() {
        let s = settings(&Access::ALL, &[Access::Read]);
        let auth = document(&s, "b-dev", Audience::Authenticated).unwrap();
        let sids: Vec<String> = statements(Some(&auth)).iter().map(sid).collect();
        assert_eq!(sids, ["Objects", "Uploads", "ReadProtected", "List"]);
        assert_eq!(
            auth["Statement"][0]["Action"],
            json!(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"])
        );
        let guest = document(&s, "b-dev", Audience::Guest).unwrap();
        assert_eq!(
            guest["Statement"][0]["Resource"],
            json!(["arn:aws:s3:::b-dev/public/*"])
        );
        assert_eq!(guest["Statement"][0]["Action"], json!(["s3:GetObject"]));
        assert!(document(&settings(&[Access::Read], &[]), "b", Audience::Guest).is_none());
    }

    #[test]
    fn diff_and_broadening() {
        let narrow = document(
            &settings(&[Access::Read], &[]),
            "b",
            Audience::Authenticated,
        );
        let wide = document(&settings(&Access::ALL, &[]), "b", Audience::Authenticated);
        let up = diff(narrow.as_ref(), wide.as_ref());
        assert!(broadens(&up));
        assert!(
            up.iter()
                .any(|c| matches!(c, StatementChange::Added(s) if s["Sid"] == "Uploads"))
        );
        let down = diff(wide.as_ref(), narrow.as_ref());
        assert!(!broadens(&down));
        assert!(
            down.iter()
                .any(|c| matches!(c, StatementChange::Removed(_)))
        );
        assert!(diff(wide.as_ref(), wide.as_ref()).is_empty());
    }
}
