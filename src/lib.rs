//! authwiz: the Amplify (Gen 1) auth workflows as a fast, scriptable CLI.

pub mod auth;
pub mod cli;
pub mod cloud;
pub mod commands;
pub mod error;
pub mod gen2;
pub mod notice;
pub mod outputs;
pub mod process;
pub mod project;
pub mod prompt;
pub mod push;
pub mod schemas;
pub mod storage;
pub mod ui;
pub mod vocab;
