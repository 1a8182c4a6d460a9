pub mod item;
pub mod node;
pub mod span;

pub use node::{Entry, Node, Value};
pub use span::{LineCol, LineIndex, Sp, Span};
