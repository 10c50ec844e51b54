//! The JSON Schemas (draft 2020-12) of the files and payloads authwiz reads,
//! embedded from `schemas/` so that `authwiz schema NAME` prints them without
//! the repository. Each says what authwiz's own checks accept, as far as JSON
//! Schema can say it (docs/schemas.md lists what it cannot).

/// One schema: its name (`authwiz schema NAME`), what it covers, and its text.
#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    /// One line: the file or payload it describes.
    pub covers: &'static str,
    pub text: &'static str,
}

impl Schema {
    /// Its `$id`, the URL editors know it by.
    pub fn url(&self) -> String {
        format!("{BASE_URL}{}.schema.json", self.name)
    }
}

/// Where the schemas are published (each `$id` is this plus `<name>.schema.json`).
pub const BASE_URL: &str = "https://authwiz.dev/schemas/";

/// The `$schema` authwiz writes into an override.json it creates.
pub const OVERRIDE_URL: &str = "https://authwiz.dev/schemas/override.schema.json";

/// The names, in the order `authwiz schema` lists them (also clap's choices).
pub const NAMES: [&str; 6] = [
    "add-auth",
    "update-auth",
    "import-auth",
    "categories",
    "override",
    "storage",
];

pub const ALL: [Schema; 6] = [
    Schema {
        name: "add-auth",
        covers: "add auth --headless: AddAuthRequest version 2 on stdin (with `triggers`)",
        text: include_str!("../schemas/add-auth.schema.json"),
    },
    Schema {
        name: "update-auth",
        covers: "update auth --headless: UpdateAuthRequest version 2 on stdin (with `triggers`)",
        text: include_str!("../schemas/update-auth.schema.json"),
    },
    Schema {
        name: "import-auth",
        covers: "import auth --headless: ImportAuthRequest version 1 on stdin",
        text: include_str!("../schemas/import-auth.schema.json"),
    },
    Schema {
        name: "categories",
        covers: "env add --categories JSON: the imported auth ids of the new env",
        text: include_str!("../schemas/categories.schema.json"),
    },
    Schema {
        name: "override",
        covers: "amplify/backend/auth/<resource>/override.json",
        text: include_str!("../schemas/override.schema.json"),
    },
    Schema {
        name: "storage",
        covers: "amplify/backend/storage/<resource>/cli-inputs.json",
        text: include_str!("../schemas/storage.schema.json"),
    },
];

/// The schema called `name`.
pub fn get(name: &str) -> Option<&'static Schema> {
    ALL.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[test]
    fn every_schema_is_json_with_its_id_and_the_draft() {
        assert_eq!(ALL.map(|s| s.name), NAMES);
        for s in &ALL {
            let v: Value = serde_json::from_str(s.text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", s.name));
            assert_eq!(v["$id"], s.url().as_str(), "{}", s.name);
            assert_eq!(
                v["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{}",
                s.name
            );
            assert!(v["title"].is_string() && v["description"].is_string());
        }
        assert_eq!(get("override").unwrap().url(), OVERRIDE_URL);
        assert!(get("nope").is_none());
    }
}
