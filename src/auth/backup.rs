//! A backup of an env's auth, and its restore: one versioned JSON document with
//! the pool's configuration (pool, clients without their secrets, identity
//! providers without theirs, groups, identity pool and its roles), every user
//! and every group membership. A restore makes what is missing (groups, then
//! users, then memberships) and leaves what exists as it is, so it can run
//! again after a kill; `check` lists what differs between a backup and a pool.

use std::collections::{BTreeMap, BTreeSet};

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::cloud::CloudError;
use crate::cloud::cognito_idp::CognitoIdp;
use crate::cloud::deploy::{
    ClientApi, GroupApi, GroupOthers, GroupSpec, IdentityPoolApi, UserPoolApi,
};
use crate::cloud::users::{Created, GroupEntry, User, Users};

pub const FORMAT: &str = "authwiz-auth-backup";
/// Calls a restore keeps in flight at once.
const IN_FLIGHT: usize = 8;
pub const VERSION: u32 = 1;

/// What no backup of a user pool can hold.
pub const CANNOT_HOLD: [&str; 4] = [
    "Passwords: Cognito never exports them. A restored user sets a new password at the next sign-in.",
    "Each user's sub, and so their identity pool identity id: a restored user gets new ones.",
    "Secrets of app clients and identity providers (left out on purpose).",
    "Each user's MFA devices and authenticator secrets, remembered devices and sign-in history.",
];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub format: String,
    pub version: u32,
    pub created: String,
    pub env: String,
    pub resource: String,
    pub cannot_hold: Vec<String>,
    pub user_pool_id: String,
    /// The pool's settings, as authwiz reads them (every mutable field).
    pub user_pool: Value,
    pub clients: Vec<Value>,
    pub identity_providers: Vec<Value>,
    pub groups: Vec<GroupEntry>,
    pub identity_pool: Option<Value>,
    pub identity_pool_roles: Option<Value>,
    pub users: Vec<User>,
    /// Group → the user names in it.
    pub memberships: BTreeMap<String, Vec<String>>,
}

/// The env's ids a backup starts from.
pub struct Ids {
    pub user_pool: String,
    pub clients: Vec<String>,
    pub identity_pool: Option<String>,
}

fn failed(message: String) -> CloudError {
    CloudError::Failed {
        action: "backup",
        message,
    }
}

/// Every page of a listing.
async fn all<T, F, Fut>(mut page: F) -> Result<Vec<T>, CloudError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), CloudError>>,
{
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let (items, next) = page(token).await?;
        out.extend(items);
        match next {
            Some(t) => token = Some(t),
            None => return Ok(out),
        }
    }
}

/// The pool's settings, clients, providers, groups and identity pool: a
/// backup without its users and memberships (streamed by [`write`]).
async fn settings<D, I, U>(cloud: &D, idp: &I, users: &U, ids: &Ids) -> Result<Backup, CloudError>
where
    D: UserPoolApi + ClientApi + IdentityPoolApi,
    I: CognitoIdp,
    U: Users,
{
    let pool = &ids.user_pool;
    let Some(live) = cloud.read_user_pool(pool).await? else {
        return Err(failed(format!("the user pool {pool} does not exist")));
    };
    let mut clients = Vec::new();
    for id in &ids.clients {
        if let Some(c) = cloud.read_client(pool, id).await? {
            clients.push(json!({"id": c.id, "settings": c.spec}));
        }
    }
    let identity_providers = idp
        .identity_providers(pool)
        .await?
        .into_iter()
        .map(|p| {
            let details: BTreeMap<String, String> = p
                .details
                .into_iter()
                .filter(|(k, _)| !(k.contains("secret") || k == "private_key"))
                .collect();
            json!({"name": p.name, "type": p.provider_type, "details": details})
        })
        .collect();
    let (identity_pool, identity_pool_roles) = match &ids.identity_pool {
        Some(ip) => (
            cloud
                .read_identity_pool(ip)
                .await?
                .map(|s| json!({"id": ip, "settings": s})),
            cloud.read_pool_roles(ip).await?.map(|r| json!(r)),
        ),
        None => (None, None),
    };
    let groups = all(|t| users.groups_page(pool, t)).await?;
    Ok(Backup {
        format: FORMAT.into(),
        version: VERSION,
        cannot_hold: CANNOT_HOLD.iter().map(|s| s.to_string()).collect(),
        user_pool_id: pool.clone(),
        user_pool: json!(live.spec),
        clients,
        identity_providers,
        groups,
        identity_pool,
        identity_pool_roles,
        ..Default::default()
    })
}

/// What a backup names besides the pool's content.
pub struct Head {
    pub created: String,
    pub env: String,
    pub resource: String,
}

/// What a backup holds, counted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub users: usize,
    pub groups: usize,
    pub memberships: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error("{0}")]
    Write(#[from] std::io::Error),
}

/// Writes the backup of `ids` to `out` as it reads it: the settings, then the
/// users and each group's members page by page (memory does not grow with the
/// pool). The document is the [`Backup`] that [`parse`] reads.
pub async fn write<D, I, U>(
    cloud: &D,
    idp: &I,
    users: &U,
    ids: &Ids,
    head: &Head,
    out: &mut dyn std::io::Write,
) -> Result<Counts, BackupError>
where
    D: UserPoolApi + ClientApi + IdentityPoolApi,
    I: CognitoIdp,
    U: Users,
{
    let pool = &ids.user_pool;
    let mut b = settings(cloud, idp, users, ids).await?;
    b.created = head.created.clone();
    b.env = head.env.clone();
    b.resource = head.resource.clone();
    let mut counts = Counts {
        groups: b.groups.len(),
        ..Counts::default()
    };
    let mut top = serde_json::to_value(&b).map_err(std::io::Error::other)?;
    if let Some(o) = top.as_object_mut() {
        o.remove("users");
        o.remove("memberships");
    }
    let text = top.to_string();
    // The settings' object, left open for the users and memberships.
    out.write_all(text.strip_suffix('}').unwrap_or(&text).as_bytes())?;
    out.write_all(b",\"users\":[")?;
    let mut token = None;
    loop {
        let (page, next) = users.users_page(pool, token).await?;
        for u in &page {
            let sep = if counts.users == 0 { "" } else { "," };
            write!(out, "{sep}\n{}", json!(u))?;
            counts.users += 1;
        }
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    out.write_all(b"\n],\"memberships\":{")?;
    for (i, g) in b.groups.iter().enumerate() {
        write!(
            out,
            "{}\n{}:[",
            if i == 0 { "" } else { "," },
            json!(g.name)
        )?;
        let (mut token, mut first) = (None, true);
        loop {
            let (names, next) = users.members_page(pool, &g.name, token).await?;
            for n in &names {
                write!(out, "{}{}", if first { "" } else { "," }, json!(n))?;
                first = false;
                counts.memberships += 1;
            }
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"\n}}\n")?;
    Ok(counts)
}

/// A backup read from a file, checked.
pub fn parse(text: &str) -> Result<Backup, String> {
    let b: Backup = serde_json::from_str(text).map_err(|e| format!("not a backup: {e}"))?;
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

/// The name a user signs in with in a pool: its user name, or in a pool that
/// signs in with email or phone, that attribute (the pool makes the user name).
fn login(user: &User, username_attributes: &[String]) -> String {
    username_attributes
        .iter()
        .find_map(|a| user.attributes.get(a).cloned())
        .unwrap_or_else(|| user.username.clone())
}

/// Attributes a restore sends (Cognito sets the others itself).
fn sendable(user: &User) -> User {
    let mut u = user.clone();
    u.attributes.retain(|k, _| k != "identities");
    u
}

/// Creates a user; after an answer that leaves the outcome unknown (a
/// timeout, an unreadable reply), looks the user up before trying again.
async fn create_once<U: Users>(
    users: &U,
    pool: &str,
    name: &str,
    user: &User,
) -> Result<Created, CloudError> {
    let mut tries = 0;
    loop {
        match users.create_user(pool, name, user).await {
            Err(e) if e.outcome_unknown() && tries < 3 => {
                tries += 1;
                if users.user(pool, name).await?.is_some() {
                    return Ok(Created::Created);
                }
            }
            other => return other,
        }
    }
}

/// What a restore did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Restored {
    pub groups_created: usize,
    pub users_created: usize,
    /// Users that existed: left as they are.
    pub users_existing: Vec<String>,
    pub memberships: usize,
}

/// One part of a backup, in the file's order.
#[derive(Debug)]
pub enum Part {
    /// Everything but the users and memberships.
    Head(Box<Backup>),
    Users(Vec<User>),
    /// A group and the user names in it.
    Members(String, Vec<String>),
}

/// The parts of a backup already in memory, in the same order.
pub fn parts_of(b: &Backup, chunk: usize) -> Vec<Result<Part, String>> {
    let head = Backup {
        users: Vec::new(),
        memberships: Default::default(),
        ..b.clone()
    };
    let mut out = vec![Ok(Part::Head(Box::new(head)))];
    out.extend(
        b.users
            .chunks(chunk.max(1))
            .map(|c| Ok(Part::Users(c.to_vec()))),
    );
    out.extend(
        b.memberships
            .iter()
            .map(|(g, m)| Ok(Part::Members(g.clone(), m.clone()))),
    );
    out
}

/// Users a restore takes from a file at a time (memory holds one chunk).
pub const CHUNK: usize = 500;

/// Restores `b` into `pool`: groups (unless `users_only`), users, memberships.
pub async fn restore<D, U>(
    cloud: &D,
    users: &U,
    pool: &str,
    b: &Backup,
    users_only: bool,
) -> Result<Restored, CloudError>
where
    D: UserPoolApi + GroupApi,
    U: Users,
{
    restore_parts(cloud, users, pool, parts_of(b, CHUNK), users_only).await
}

/// Restores a backup read part by part ([`super::backup_read`]) into
/// `pool`: its groups (unless `users_only`) when its head comes, each chunk
/// of users as it comes (a bounded number of calls in flight), then each
/// group's members. What exists is left as it is and counted.
pub async fn restore_parts<D, U>(
    cloud: &D,
    users: &U,
    pool: &str,
    parts: impl IntoIterator<Item = Result<Part, String>>,
    users_only: bool,
) -> Result<Restored, CloudError>
where
    D: UserPoolApi + GroupApi,
    U: Users,
{
    let mut out = Restored::default();
    let mut attrs: Option<Vec<String>> = None;
    // The name each user signs in with, by user name (for the memberships).
    let mut logins: BTreeMap<String, String> = BTreeMap::new();
    for part in parts {
        match part.map_err(failed)? {
            Part::Head(h) => {
                let Some(live) = cloud.read_user_pool(pool).await? else {
                    return Err(failed(format!("the user pool {pool} does not exist")));
                };
                attrs = Some(live.spec.username_attributes.clone());
                if !users_only {
                    out.groups_created += restore_groups(cloud, users, pool, &h.groups).await?;
                }
            }
            Part::Users(chunk) => {
                let attrs = attrs.as_deref().unwrap_or_default();
                for u in &chunk {
                    logins.insert(u.username.clone(), login(u, attrs));
                }
                let logins = &logins;
                let made: Vec<(String, Created)> = stream::iter(&chunk)
                    .map(|u| async move {
                        let name = logins[u.username.as_str()].clone();
                        let created = create_once(users, pool, &name, &sendable(u)).await?;
                        Ok::<_, CloudError>((name, created))
                    })
                    .buffer_unordered(IN_FLIGHT)
                    .try_collect()
                    .await?;
                for (name, created) in made {
                    match created {
                        Created::Created => out.users_created += 1,
                        Created::Exists => out.users_existing.push(name),
                    }
                }
            }
            Part::Members(_, _) if users_only => {}
            Part::Members(group, members) => {
                let names: Vec<String> = members
                    .iter()
                    .map(|m| logins.get(m).cloned().unwrap_or_else(|| m.clone()))
                    .collect();
                out.memberships += names.len();
                stream::iter(&names)
                    .map(|name| users.add_to_group(pool, name, &group))
                    .buffer_unordered(IN_FLIGHT)
                    .try_collect::<Vec<()>>()
                    .await?;
            }
        }
    }
    out.users_existing.sort();
    Ok(out)
}

/// Creates the groups of `groups` that `pool` lacks; how many.
async fn restore_groups<D: GroupApi, U: Users>(
    cloud: &D,
    users: &U,
    pool: &str,
    groups: &[GroupEntry],
) -> Result<usize, CloudError> {
    let have: BTreeSet<String> = all(|t| users.groups_page(pool, t))
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let mut made = 0;
    for g in groups.iter().filter(|g| !have.contains(&g.name)) {
        let spec = GroupSpec {
            name: g.name.clone(),
            precedence: g.precedence,
            role_arn: g.role_arn.clone(),
            others: GroupOthers {
                description: g.description.clone(),
            },
        };
        cloud.create_group(pool, &spec).await?;
        made += 1;
    }
    Ok(made)
}

/// Every difference between backup `b` and the live pool's users, groups and
/// memberships (users compared by the name they sign in with).
pub async fn check<D, U>(
    cloud: &D,
    users: &U,
    pool: &str,
    b: &Backup,
) -> Result<Vec<String>, CloudError>
where
    D: UserPoolApi,
    U: Users,
{
    let Some(live) = cloud.read_user_pool(pool).await? else {
        return Err(failed(format!("the user pool {pool} does not exist")));
    };
    let attrs = live.spec.username_attributes.clone();
    let live_users: BTreeMap<String, User> = all(|t| users.users_page(pool, t))
        .await?
        .into_iter()
        .map(|u| (login(&u, &attrs), u))
        .collect();
    let names: BTreeMap<String, String> = b
        .users
        .iter()
        .map(|u| (u.username.clone(), login(u, &attrs)))
        .collect();
    let mut diffs = user_differences(b, &names, &live_users);
    diffs.extend(group_differences(users, pool, b, &names, &live_users).await?);
    Ok(diffs)
}

/// Users missing, extra, or with other attributes or enabled state.
fn user_differences(
    b: &Backup,
    names: &BTreeMap<String, String>,
    live_users: &BTreeMap<String, User>,
) -> Vec<String> {
    let mut diffs = Vec::new();
    for u in &b.users {
        let name = &names[&u.username];
        let Some(l) = live_users.get(name) else {
            diffs.push(format!("user {name}: missing"));
            continue;
        };
        let wanted = sendable(u).attributes;
        let mut now = l.attributes.clone();
        now.retain(|k, _| wanted.contains_key(k));
        if now != wanted {
            diffs.push(format!("user {name}: attributes differ"));
        }
        if l.enabled != u.enabled {
            diffs.push(format!(
                "user {name}: enabled {} → {}",
                u.enabled, l.enabled
            ));
        }
    }
    let backed: BTreeSet<&String> = names.values().collect();
    for name in live_users.keys().filter(|n| !backed.contains(n)) {
        diffs.push(format!("user {name}: not in the backup"));
    }
    diffs
}

/// Groups missing or with another precedence, and memberships missing.
async fn group_differences<U: Users>(
    users: &U,
    pool: &str,
    b: &Backup,
    names: &BTreeMap<String, String>,
    live_users: &BTreeMap<String, User>,
) -> Result<Vec<String>, CloudError> {
    let mut diffs = Vec::new();
    let groups: BTreeMap<String, GroupEntry> = all(|t| users.groups_page(pool, t))
        .await?
        .into_iter()
        .map(|g| (g.name.clone(), g))
        .collect();
    for g in &b.groups {
        match groups.get(&g.name) {
            None => diffs.push(format!("group {}: missing", g.name)),
            Some(l) if l.precedence != g.precedence => diffs.push(format!(
                "group {}: precedence {:?} → {:?}",
                g.name, g.precedence, l.precedence
            )),
            Some(_) => {}
        }
    }
    let by_username: BTreeMap<&str, &String> = live_users
        .iter()
        .map(|(n, u)| (u.username.as_str(), n))
        .collect();
    for (group, members) in b
        .memberships
        .iter()
        .filter(|(g, _)| groups.contains_key(*g))
    {
        let live: BTreeSet<String> = all(|t| users.members_page(pool, group, t))
            .await?
            .iter()
            .filter_map(|m| by_username.get(m.as_str()).map(|n| n.to_string()))
            .collect();
        for m in members {
            let name = names.get(m).cloned().unwrap_or_else(|| m.clone());
            if !live.contains(&name) {
                diffs.push(format!("group {group}: {name} is not a member"));
            }
        }
    }
    Ok(diffs)
}
