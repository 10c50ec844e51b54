//! A backup file read part by part, as a restore needs it, so that memory
//! holds one chunk of users at a time and not the pool: what comes before the
//! users (checked: format and version), then the users a chunk at a time,
//! then each group's members. The file is parsed on its own thread; the
//! parts come through a bounded channel.

use std::fmt;
use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::backup::{Backup, FORMAT, Part, VERSION};
use crate::cloud::users::User;

/// The parts of the backup `reader` holds, `chunk` users at a time; an
/// error (the file is not a backup of this format and version, or is cut
/// short) ends them.
pub fn parts<R: Read + Send + 'static>(reader: R, chunk: usize) -> Receiver<Result<Part, String>> {
    let (tx, rx) = sync_channel(2);
    std::thread::spawn(move || {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
        let seed = Top {
            tx: &tx,
            chunk: chunk.max(1),
        };
        let read = seed.deserialize(&mut de).and_then(|()| de.end());
        if let Err(e) = read {
            // A stop from the receiver's side is no error to report.
            let _ = tx.send(Err(format!("not a backup: {e}")));
        }
    });
    rx
}

/// The head from the keys read so far, checked.
fn head(fields: &Map<String, Value>) -> Result<Backup, String> {
    let mut v = fields.clone();
    v.insert("users".into(), Value::Array(Vec::new()));
    v.insert("memberships".into(), Value::Object(Map::new()));
    let b: Backup =
        serde_json::from_value(Value::Object(v)).map_err(|e| format!("not a backup: {e}"))?;
    if b.format != FORMAT {
        return Err(format!(
            "not an authwiz auth backup (format {:?})",
            b.format
        ));
    }
    if b.version != VERSION {
        return Err(format!(
            "a backup of version {} (this authwiz reads version {VERSION})",
            b.version
        ));
    }
    Ok(b)
}

/// Sends a part; `false` when the receiver has gone (stop reading).
fn send(tx: &SyncSender<Result<Part, String>>, p: Result<Part, String>) -> bool {
    tx.send(p).is_ok()
}

struct Top<'a> {
    tx: &'a SyncSender<Result<Part, String>>,
    chunk: usize,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an authwiz auth backup (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut fields = Map::new();
        let mut head_sent = false;
        let send_head = |fields: &Map<String, Value>, sent: &mut bool| -> Result<bool, String> {
            if *sent {
                return Ok(true);
            }
            *sent = true;
            let h = head(fields)?;
            Ok(send(self.tx, Ok(Part::Head(Box::new(h)))))
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "users" => {
                    if !send_head(&fields, &mut head_sent).map_err(A::Error::custom)? {
                        return Ok(());
                    }
                    map.next_value_seed(Users {
                        tx: self.tx,
                        chunk: self.chunk,
                    })?;
                }
                "memberships" => {
                    if !send_head(&fields, &mut head_sent).map_err(A::Error::custom)? {
                        return Ok(());
                    }
                    map.next_value_seed(Members { tx: self.tx })?;
                }
                _ if head_sent => {
                    // What follows the users is not needed to restore.
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    let v: Value = map.next_value()?;
                    fields.insert(key, v);
                }
            }
        }
        send_head(&fields, &mut head_sent).map_err(A::Error::custom)?;
        Ok(())
    }
}

struct Users<'a> {
    tx: &'a SyncSender<Result<Part, String>>,
    chunk: usize,
}

impl<'de> DeserializeSeed<'de> for Users<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Users<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of users")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut chunk = Vec::with_capacity(self.chunk);
        while let Some(u) = seq.next_element::<User>()? {
            chunk.push(u);
            if chunk.len() == self.chunk
                && !send(self.tx, Ok(Part::Users(std::mem::take(&mut chunk))))
            {
                // The restore stopped: read no further.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        }
        if !chunk.is_empty() {
            send(self.tx, Ok(Part::Users(chunk)));
        }
        Ok(())
    }
}

struct Members<'a> {
    tx: &'a SyncSender<Result<Part, String>>,
}

impl<'de> DeserializeSeed<'de> for Members<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("groups and their members")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some((group, names)) = map.next_entry::<String, Vec<String>>()? {
            if !send(self.tx, Ok(Part::Members(group, names))) {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::backup::parts_of;

    fn backup(users: usize) -> Backup {
        let mut b = Backup {
            format: FORMAT.into(),
            version: VERSION,
            user_pool_id: "us-east-1_x".into(),
            ..Default::default()
        };
        for i in 0..users {
            b.users.push(User {
                username: format!("u{i}"),
                enabled: true,
                ..Default::default()
            });
        }
        b.memberships
            .insert("g".into(), vec!["u1".into(), "u2".into()]);
        b
    }

    #[test]
    fn a_file_comes_as_its_head_then_chunks_of_users_then_members() {
        let text = serde_json::to_vec(&backup(5)).unwrap();
        let got: Vec<Part> = parts(std::io::Cursor::new(text), 2)
            .iter()
            .map(|p| p.unwrap())
            .collect();
        assert!(
            matches!(&got[0], Part::Head(h) if h.user_pool_id == "us-east-1_x" && h.users.is_empty())
        );
        let sizes: Vec<usize> = got
            .iter()
            .filter_map(|p| match p {
                Part::Users(u) => Some(u.len()),
                _ => None,
            })
            .collect();
        assert_eq!(sizes, [2, 2, 1]);
        assert!(matches!(got.last(), Some(Part::Members(g, m)) if g == "g" && m.len() == 2));
        let same: Vec<String> = parts_of(&backup(5), 2)
            .into_iter()
            .map(|p| format!("{:?}", p.unwrap()))
            .collect();
        assert_eq!(
            same,
            got.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>()
        );
    }

    #[test]
    fn what_is_not_a_backup_is_an_error_before_any_part() {
        for text in [
            "not json",
            r#"{"format": "other", "version": 1, "users": []}"#,
            r#"{"format": "authwiz-auth-backup", "version": 9, "users": []}"#,
        ] {
            let first = parts(std::io::Cursor::new(text.as_bytes().to_vec()), 2)
                .recv()
                .unwrap();
            assert!(first.is_err(), "{text}");
        }
        // Cut short in the users: the chunks before it, then the error.
        let mut text = serde_json::to_vec(&backup(5)).unwrap();
        let cut = text.windows(4).position(|w| w == b"\"u3\"").unwrap();
        text.truncate(cut);
        let all: Vec<Result<Part, String>> = parts(std::io::Cursor::new(text), 2).iter().collect();
        assert!(all.last().unwrap().is_err());
    }
}
