//! Ways in: turning other people's POA&M data into item files.

pub mod xlsx;
