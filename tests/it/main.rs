//! Integration tests: one binary (every extra binary links the AWS SDK again).

mod support;

mod backup;
mod client;
mod cloud;
mod cloud_kills;
mod completions;
#[cfg(unix)]
mod crash;
mod demo;
mod engine;
mod env;
mod envs;
mod flow;
mod gen2;
mod gen2_synth;
mod hostile;
mod import;
mod init;
mod managed;
mod managed_engine;
mod managed_push;
mod managed_update;
mod network;
mod npm;
mod pty;
mod push;
mod release;
mod replace;
mod schemas;
mod shared_cloud;
mod status;
mod storage;
mod store;
mod trigger_modules;
mod triggers;
mod walkthrough;
