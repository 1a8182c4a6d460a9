pub mod item;
pub mod node;
pub mod span;
pub mod vdr;

pub use node::{Entry, Node, Value};
pub use span::{LineCol, LineIndex, Sp, Span};
