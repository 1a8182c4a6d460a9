//! Large values that are done with but not worth freeing while there is still work to do.
//!
//! poam runs one command and exits. Freeing tens of thousands of parsed items, findings or
//! history versions one allocation at a time costs tens of milliseconds, and doing it on a
//! thread of its own while the findings are still being printed takes a core from the printing
//! and contends for the allocator's locks (a third of a CR26 lint's extra time over Rev5's).
//! The operating system takes all of a process's memory back at once when it exits, so such
//! values are set aside here instead, and freed only if someone asks ([`free_all`]: tests, or
//! an embedding that runs many commands in one process).

use std::any::Any;
use std::sync::Mutex;

static RETIRED: Mutex<Vec<Box<dyn Any + Send>>> = Mutex::new(Vec::new());

/// Keeps `value` until [`free_all`] or the end of the process.
pub fn retire<T: Send + 'static>(value: T) {
    // A poisoned lock only means another thread panicked while pushing: the list is intact.
    let mut retired = RETIRED.lock().unwrap_or_else(|e| e.into_inner());
    retired.push(Box::new(value));
}

/// Frees everything retired so far, on the calling thread.
pub fn free_all() {
    let taken = std::mem::take(&mut *RETIRED.lock().unwrap_or_else(|e| e.into_inner()));
    drop(taken);
}

/// How many values are set aside.
pub fn count() -> usize {
    RETIRED.lock().unwrap_or_else(|e| e.into_inner()).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_values_live_until_freed() {
        let value = std::sync::Arc::new(7);
        retire(std::sync::Arc::clone(&value));
        assert!(count() >= 1);
        assert_eq!(std::sync::Arc::strong_count(&value), 2);
        free_all();
        assert_eq!(std::sync::Arc::strong_count(&value), 1);
    }
}
