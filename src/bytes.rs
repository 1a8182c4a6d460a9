//! Byte scans that read every byte of every item file.

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

#[cfg(test)]
mod tests {
    use super::any_byte;

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
