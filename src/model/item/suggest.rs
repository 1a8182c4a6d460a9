//! "Did you mean": the known name closest to a typo, and what common words for the
//! enumerated values mean.

/// Words people write for the enumerated values, and the value they mean (or why there is
/// none).
const SYNONYMS: &[(&str, &str)] = &[
    ("medium", "moderate"),
    ("med", "moderate"),
    ("severe", "high"),
    ("informational", "low"),
    ("info", "low"),
    ("none", "low"),
    ("done", "closed"),
    ("resolved", "closed"),
    ("fixed", "closed"),
    ("remediated", "closed"),
    ("completed", "closed"),
    ("in-progress", "open"),
    ("in progress", "open"),
    ("ongoing", "open"),
    ("active", "open"),
    ("granted", "approved"),
    ("accepted", "approved"),
    ("denied", "rejected"),
    ("declined", "rejected"),
    ("submitted", "pending"),
    ("requested", "pending"),
    ("cancelled", "withdrawn"),
    ("canceled", "withdrawn"),
    ("added", "new"),
    ("created", "new"),
    ("updated", "update"),
    ("changed", "update"),
    ("moved", "update"),
    ("finished", "complete"),
    ("closed", "complete"),
    ("done", "complete"),
];

/// "did you mean" for a word that means one of `names` (`medium` → `moderate`).
pub(super) fn synonym(word: &str, names: &[&'static str]) -> Option<String> {
    let word = word.trim().to_ascii_lowercase();
    let (_, meant) = SYNONYMS
        .iter()
        .find(|(synonym, meant)| *synonym == word && names.contains(meant))?;
    let note = if word == "informational" || word == "info" || word == "none" {
        " (FedRAMP has no informational rating: informational findings need no POA&M item)"
    } else {
        ""
    };
    Some(format!("`{word}` means `{meant}` here{note}; "))
}

/// The closest known key, when it is close enough to be a likely typo.
pub fn suggest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&key, k),
                strsim::jaro_winkler(&key, k),
                *k,
            )
        })
        .filter(|(distance, similarity, k)| {
            *distance <= (k.len() / 3).max(1) || *similarity >= 0.88
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, k)| k)
}

/// Up to `count` known names nearest to `name` (closest first), for "did you mean" lists where
/// no single suggestion is certain.
pub fn nearest<'k>(name: &str, known: &[&'k str], count: usize) -> Vec<&'k str> {
    let name = name.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .map(|k| {
            let contains = k.contains(name.as_str()) || name.contains(*k);
            let score = strsim::jaro_winkler(&name, k) + if contains { 0.5 } else { 0.0 };
            (score, *k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(count).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::super::ITEM_KEYS;
    use super::*;

    #[test]
    fn suggestions_catch_typos() {
        assert_eq!(suggest("deu", ITEM_KEYS), Some("due"));
        assert_eq!(suggest("milestone", ITEM_KEYS), Some("milestones"));
        assert_eq!(suggest("zzzzzz", ITEM_KEYS), None);
    }
}
