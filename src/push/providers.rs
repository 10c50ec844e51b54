//! Every provider of managed auth's resources, over one cloud: the engine
//! a push of managed auth plans and applies with.

use std::collections::BTreeMap;

use super::cognito::{
    Clients, Domains, Groups, IdentityPools, Managed, PoolRoleAttachments, Roles, Socials,
    UserPools,
};
use super::engine::{Engine, Provider};
use super::resource::Typed;
use super::storage::RolePolicies;
use super::triggers::{Functions, Permissions, PoolTriggers};
use crate::cloud::deploy::Deploy;
use crate::cloud::iam::Iam;

/// Every provider managed auth needs, over one cloud.
pub fn providers<'a, D: Deploy, I: Iam>(
    m: &'a Managed<'a, D>,
    iam: &'a I,
    code: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<Box<dyn Provider + 'a>> {
    vec![
        Box::new(Typed(UserPools(m))),
        Box::new(Typed(Clients(m))),
        Box::new(Typed(Domains(m))),
        Box::new(Typed(Socials::new(m))),
        Box::new(Typed(Groups::new(m))),
        Box::new(Typed(IdentityPools(m))),
        Box::new(Typed(PoolRoleAttachments(m))),
        Box::new(Typed(Roles(m))),
        Box::new(RolePolicies(iam, Some(m.registry))),
        Box::new(Typed(Functions { m, code })),
        Box::new(Typed(Permissions(m))),
        Box::new(Typed(PoolTriggers(m))),
    ]
}

pub fn engine_over<'a>(list: &'a [Box<dyn Provider + 'a>]) -> Engine<'a> {
    let refs: Vec<&dyn Provider> = list.iter().map(|b| b.as_ref()).collect();
    Engine::new(&refs)
}
