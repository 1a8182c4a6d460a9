//! A commit's signature, as git stores it (the `gpgsig` header): the signature and the bytes it
//! signs, for the decision check (`crate::authority`) to verify. Plain data out, no git types.

use git2::{ErrorCode, Oid};

use super::error::git_error;
use super::{GitRepo, HistoryError};

/// A signed commit's signature and the commit text it signs (the commit without `gpgsig`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitSignature {
    /// The armored signature: `-----BEGIN SSH SIGNATURE-----` or `-----BEGIN PGP SIGNATURE-----`.
    pub signature: Vec<u8>,
    pub signed_data: Vec<u8>,
}

impl GitRepo {
    /// The signature of commit `id` (full hex), `None` when it is not signed.
    pub fn commit_signature(&self, id: &str) -> Result<Option<CommitSignature>, HistoryError> {
        let oid = Oid::from_str(id).map_err(|e| git_error("reading a commit id", &e))?;
        match self.repo.extract_signature(&oid, None) {
            Ok((signature, signed_data)) => Ok(Some(CommitSignature {
                signature: signature.to_vec(),
                signed_data: signed_data.to_vec(),
            })),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(git_error("reading a commit signature", &err)),
        }
    }
}
