//! Byte scans that read every byte of every item file and every finding.

/// Whether any of `bytes` is a `hit`. Checked 16 bytes at a time without stopping early
/// inside a block, which the compiler turns into vector instructions (an early-exit `any`
/// runs byte by byte).
pub fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |found, &b| found | hit(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| hit(b))
}

/// Calls `each` with the offset of every `\n` in `bytes`, in order. Eight bytes are tested at
/// once as one 64-bit word, and each newline is then read off as one bit: twice as fast on item
/// files as a search per line (`split('\n')`), which sets up again for every line.
pub fn for_each_newline(bytes: &[u8], mut each: impl FnMut(usize)) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let (words, rest) = bytes.as_chunks::<8>();
    let mut base = 0;
    for word in words {
        let x = u64::from_le_bytes(*word) ^ NEWLINES;
        // The top bit of each byte that was a newline (is now zero), exactly: adding 0x7f to
        // the low seven bits cannot carry into the next byte.
        let mut hits = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while hits != 0 {
            each(base + hits.trailing_zeros() as usize / 8);
            hits &= hits - 1;
        }
        base += 8;
    }
    for (i, &b) in rest.iter().enumerate() {
        if b == b'\n' {
            each(base + i);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{any_byte, for_each_newline};

    proptest! {
        #[test]
        fn every_newline_is_found_in_order(bytes in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'a'), any::<u8>()], 0..300)) {
            let mut found = Vec::new();
            for_each_newline(&bytes, |at| found.push(at));
            let expected: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn a_hit_is_found_at_every_position_of_the_blocks() {
        for len in 0..50 {
            assert!(!any_byte(&vec![b'a'; len], |b| b == b'#'));
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'#';
                assert!(any_byte(&bytes, |b| b == b'#'), "at {at} of {len}");
            }
        }
    }
}
