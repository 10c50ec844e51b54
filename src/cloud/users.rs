//! A user pool's users, groups and memberships, page by page (a backup and a
//! restore stream them: memory does not grow with the pool).

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::Config;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType, UserType};
use serde::{Deserialize, Serialize};

use super::CloudError;

/// One user as a backup holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    /// The id Cognito gave the user (a restore cannot keep it: a new one is given).
    pub sub: Option<String>,
    /// Every attribute but `sub`, the verified flags among them
    /// (`email_verified: "true"`).
    pub attributes: BTreeMap<String, String>,
    /// CONFIRMED, FORCE_CHANGE_PASSWORD, UNCONFIRMED, ...
    pub status: Option<String>,
    pub enabled: bool,
    /// RFC 3339.
    pub created: Option<String>,
}

/// A page of a listing and the token of the next one.
pub type Page<T> = (Vec<T>, Option<String>);

/// What happened to a user a restore made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Created,
    /// A user of that name exists already: left as it is.
    Exists,
}

/// How a new user gets in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewUser {
    pub attributes: BTreeMap<String, String>,
    pub temporary_password: Option<String>,
    /// Send Cognito's invitation (email or SMS) with the temporary password.
    pub invite: bool,
}

#[allow(async_fn_in_trait)]
pub trait Users {
    async fn users_page(&self, pool: &str, token: Option<String>)
    -> Result<Page<User>, CloudError>;
    /// A page of the users ListUsers' `filter` selects (`email ^= "a"`).
    async fn filtered_page(
        &self,
        pool: &str,
        filter: &str,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError>;
    /// A page of the users in `group`, whole.
    async fn group_users_page(
        &self,
        pool: &str,
        group: &str,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError>;
    async fn add_user(&self, pool: &str, username: &str, new: &NewUser)
    -> Result<User, CloudError>;
    async fn delete_user(&self, pool: &str, username: &str) -> Result<(), CloudError>;
    async fn set_enabled(
        &self,
        pool: &str,
        username: &str,
        enabled: bool,
    ) -> Result<(), CloudError>;
    async fn reset_password(&self, pool: &str, username: &str) -> Result<(), CloudError>;
    async fn groups_of(&self, pool: &str, username: &str) -> Result<Vec<String>, CloudError>;
    async fn remove_from_group(
        &self,
        pool: &str,
        username: &str,
        group: &str,
    ) -> Result<(), CloudError>;
    /// (name, description, precedence, role ARN) of each group.
    async fn groups_page(
        &self,
        pool: &str,
        token: Option<String>,
    ) -> Result<Page<GroupEntry>, CloudError>;
    /// The user names in `group`.
    async fn members_page(
        &self,
        pool: &str,
        group: &str,
        token: Option<String>,
    ) -> Result<Page<String>, CloudError>;
    async fn user(&self, pool: &str, username: &str) -> Result<Option<User>, CloudError>;
    /// Creates the user without an invitation (it sets a password at its first
    /// sign-in), disabled when `user` is.
    async fn create_user(
        &self,
        pool: &str,
        username: &str,
        user: &User,
    ) -> Result<Created, CloudError>;
    async fn add_to_group(&self, pool: &str, username: &str, group: &str)
    -> Result<(), CloudError>;
}

/// A group as a backup holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupEntry {
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i32>,
    pub role_arn: Option<String>,
}

pub struct SdkUsers {
    client: Client,
}

impl SdkUsers {
    pub fn new(config: Config) -> Self {
        SdkUsers {
            client: Client::from_conf(config),
        }
    }
}

impl SdkUsers {
    /// One page of ListUsers, filtered or not.
    async fn list_users(
        &self,
        pool: &str,
        filter: Option<&str>,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError> {
        let out = self
            .client
            .list_users()
            .user_pool_id(pool)
            .set_filter(filter.map(str::to_string))
            .limit(60)
            .set_pagination_token(token)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("cognito-idp:ListUsers", format!("User pool {pool}"), e)
            })?;
        Ok((
            out.users().iter().map(user_of).collect(),
            more(out.pagination_token()),
        ))
    }
}

fn user_of(u: &UserType) -> User {
    let mut attributes = BTreeMap::new();
    let mut sub = None;
    for a in u.attributes() {
        let value = a.value().unwrap_or_default().to_string();
        if a.name() == "sub" {
            sub = Some(value);
        } else {
            attributes.insert(a.name().to_string(), value);
        }
    }
    User {
        username: u.username().unwrap_or_default().to_string(),
        sub,
        attributes,
        status: u.user_status().map(|s| s.as_str().to_string()),
        enabled: u.enabled(),
        created: u.user_create_date().map(|d| d.to_string()),
    }
}

fn more(token: Option<&str>) -> Option<String> {
    token.filter(|t| !t.is_empty()).map(str::to_string)
}

impl Users for SdkUsers {
    async fn users_page(
        &self,
        pool: &str,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError> {
        self.list_users(pool, None, token).await
    }

    async fn filtered_page(
        &self,
        pool: &str,
        filter: &str,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError> {
        self.list_users(pool, Some(filter), token).await
    }

    async fn group_users_page(
        &self,
        pool: &str,
        group: &str,
        token: Option<String>,
    ) -> Result<Page<User>, CloudError> {
        const ACTION: &str = "cognito-idp:ListUsersInGroup";
        let out = self
            .client
            .list_users_in_group()
            .user_pool_id(pool)
            .group_name(group)
            .limit(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("Group {group}"), e))?;
        Ok((
            out.users().iter().map(user_of).collect(),
            more(out.next_token()),
        ))
    }

    async fn add_user(
        &self,
        pool: &str,
        username: &str,
        new: &NewUser,
    ) -> Result<User, CloudError> {
        const ACTION: &str = "cognito-idp:AdminCreateUser";
        let attributes: Vec<AttributeType> = new
            .attributes
            .iter()
            .filter_map(|(k, v)| AttributeType::builder().name(k).value(v).build().ok())
            .collect();
        let out = self
            .client
            .admin_create_user()
            .user_pool_id(pool)
            .username(username)
            .set_message_action((!new.invite).then_some(MessageActionType::Suppress))
            .set_temporary_password(new.temporary_password.clone())
            .set_user_attributes(Some(attributes))
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("User {username}"), e))?;
        Ok(out.user().map(user_of).unwrap_or_default())
    }

    async fn delete_user(&self, pool: &str, username: &str) -> Result<(), CloudError> {
        self.client
            .admin_delete_user()
            .user_pool_id(pool)
            .username(username)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk("cognito-idp:AdminDeleteUser", format!("User {username}"), e)
            })?;
        Ok(())
    }

    async fn set_enabled(
        &self,
        pool: &str,
        username: &str,
        enabled: bool,
    ) -> Result<(), CloudError> {
        let what = format!("User {username}");
        if enabled {
            self.client
                .admin_enable_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map_err(|e| CloudError::from_sdk("cognito-idp:AdminEnableUser", what, e))?;
        } else {
            self.client
                .admin_disable_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map_err(|e| CloudError::from_sdk("cognito-idp:AdminDisableUser", what, e))?;
        }
        Ok(())
    }

    async fn reset_password(&self, pool: &str, username: &str) -> Result<(), CloudError> {
        self.client
            .admin_reset_user_password()
            .user_pool_id(pool)
            .username(username)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:AdminResetUserPassword",
                    format!("User {username}"),
                    e,
                )
            })?;
        Ok(())
    }

    async fn groups_of(&self, pool: &str, username: &str) -> Result<Vec<String>, CloudError> {
        const ACTION: &str = "cognito-idp:AdminListGroupsForUser";
        let mut names = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .admin_list_groups_for_user()
                .user_pool_id(pool)
                .username(username)
                .limit(60)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| CloudError::from_sdk(ACTION, format!("User {username}"), e))?;
            names.extend(
                out.groups()
                    .iter()
                    .filter_map(|g| g.group_name().map(str::to_string)),
            );
            match more(out.next_token()) {
                Some(t) => token = Some(t),
                None => return Ok(names),
            }
        }
    }

    async fn remove_from_group(
        &self,
        pool: &str,
        username: &str,
        group: &str,
    ) -> Result<(), CloudError> {
        self.client
            .admin_remove_user_from_group()
            .user_pool_id(pool)
            .username(username)
            .group_name(group)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:AdminRemoveUserFromGroup",
                    format!("User {username} in group {group}"),
                    e,
                )
            })?;
        Ok(())
    }

    async fn groups_page(
        &self,
        pool: &str,
        token: Option<String>,
    ) -> Result<Page<GroupEntry>, CloudError> {
        const ACTION: &str = "cognito-idp:ListGroups";
        let out = self
            .client
            .list_groups()
            .user_pool_id(pool)
            .limit(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("User pool {pool}"), e))?;
        let groups = out
            .groups()
            .iter()
            .map(|g| GroupEntry {
                name: g.group_name().unwrap_or_default().to_string(),
                description: g.description().map(str::to_string),
                precedence: g.precedence(),
                role_arn: g.role_arn().map(str::to_string),
            })
            .collect();
        Ok((groups, more(out.next_token())))
    }

    async fn members_page(
        &self,
        pool: &str,
        group: &str,
        token: Option<String>,
    ) -> Result<Page<String>, CloudError> {
        const ACTION: &str = "cognito-idp:ListUsersInGroup";
        let out = self
            .client
            .list_users_in_group()
            .user_pool_id(pool)
            .group_name(group)
            .limit(60)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("Group {group}"), e))?;
        let names = out
            .users()
            .iter()
            .filter_map(|u| u.username().map(str::to_string))
            .collect();
        Ok((names, more(out.next_token())))
    }

    async fn user(&self, pool: &str, username: &str) -> Result<Option<User>, CloudError> {
        const ACTION: &str = "cognito-idp:AdminGetUser";
        let r = self
            .client
            .admin_get_user()
            .user_pool_id(pool)
            .username(username)
            .send()
            .await
            .map_err(|e| CloudError::from_sdk(ACTION, format!("User {username}"), e));
        let out = match super::deploy::absent(r)? {
            Some(out) => out,
            None => return Ok(None),
        };
        let user = UserType::builder()
            .username(out.username())
            .set_attributes(Some(out.user_attributes().to_vec()))
            .set_user_status(out.user_status().cloned())
            .enabled(out.enabled())
            .set_user_create_date(out.user_create_date().cloned())
            .build();
        Ok(Some(user_of(&user)))
    }

    async fn create_user(
        &self,
        pool: &str,
        username: &str,
        user: &User,
    ) -> Result<Created, CloudError> {
        const ACTION: &str = "cognito-idp:AdminCreateUser";
        let attributes: Vec<AttributeType> = user
            .attributes
            .iter()
            .filter_map(|(k, v)| AttributeType::builder().name(k).value(v).build().ok())
            .collect();
        let r = self
            .client
            .admin_create_user()
            .user_pool_id(pool)
            .username(username)
            .message_action(MessageActionType::Suppress)
            .set_user_attributes(Some(attributes))
            .send()
            .await;
        if let Err(e) = &r
            && e.as_service_error()
                .is_some_and(|s| s.is_username_exists_exception())
        {
            return Ok(Created::Exists);
        }
        r.map_err(|e| CloudError::from_sdk(ACTION, format!("User {username}"), e))?;
        if !user.enabled {
            self.client
                .admin_disable_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map_err(|e| {
                    CloudError::from_sdk(
                        "cognito-idp:AdminDisableUser",
                        format!("User {username}"),
                        e,
                    )
                })?;
        }
        Ok(Created::Created)
    }

    async fn add_to_group(
        &self,
        pool: &str,
        username: &str,
        group: &str,
    ) -> Result<(), CloudError> {
        self.client
            .admin_add_user_to_group()
            .user_pool_id(pool)
            .username(username)
            .group_name(group)
            .send()
            .await
            .map_err(|e| {
                CloudError::from_sdk(
                    "cognito-idp:AdminAddUserToGroup",
                    format!("User {username} in group {group}"),
                    e,
                )
            })?;
        Ok(())
    }
}
