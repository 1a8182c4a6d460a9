pub mod cmmc;
mod date;
pub mod item;
pub mod node;
pub mod rmf;
mod rmf_reader;
pub mod span;
pub mod vdr;
mod vdr_reader;

pub use node::{Entry, Node, Value};
pub use span::{scan_line_col, LineCol, LineIndex, Sp, Span};
