//! Commit signatures verified as `git verify-commit` verifies them, without git's configuration.
//!
//! - SSH (`gpg.format ssh`): the `SSHSIG` armor is read and checked with RustCrypto's `ssh-key`
//!   in the namespace `git`, as `ssh-keygen -Y verify -n git` does for git; who signed is the
//!   key, which the caller looks up in the people file the way git looks a key up in
//!   `gpg.ssh.allowedSignersFile` (principal = the person's email, the key listed for them).
//!   Ed25519, ECDSA P-256 and P-384 and RSA keys (the ones `ssh-keygen` makes) are read.
//! - OpenPGP (`gpg.format openpgp`, git's default, and what GitHub signs web commits with): the
//!   `gpg` program, as git calls it, in a temporary keyring holding only the public keys of
//!   `approvals.openpgp_keys`. Only a `VALIDSIG` status counts (git's "good signature"): an
//!   expired or revoked key, a bad signature or a key missing from the keyring do not. Without
//!   a `gpg` program the signature is reported as not verified, never as valid.
//! - X.509 (`gpgsm`) signatures are reported as not supported.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssh_key::{PublicKey, SshSig};

/// The namespace git signs commits in.
const GIT_NAMESPACE: &str = "git";

/// Who a valid signature was made by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// An SSH key, in OpenSSH form without a comment (`ssh-ed25519 AAAA...`).
    Ssh { key: String, fingerprint: String },
    /// An OpenPGP key: the fingerprint of the key that signed and of its primary key
    /// (upper-case hex, the same when a primary key signed).
    OpenPgp { signing: String, primary: String },
}

impl Signer {
    /// The key as a message names it.
    pub fn describe(&self) -> String {
        match self {
            Signer::Ssh { fingerprint, .. } => format!("SSH key {fingerprint}"),
            Signer::OpenPgp { primary, .. } => format!("OpenPGP key {primary}"),
        }
    }

    /// True when `listed` (an entry of a person's `keys:`) names this key: an SSH public key
    /// line (its comment ignored), or an OpenPGP fingerprint (spaces and case ignored) of the
    /// signing key or its primary key.
    pub fn is_listed_as(&self, listed: &str) -> bool {
        match self {
            Signer::Ssh { key, .. } => bare_openssh(listed).is_some_and(|listed| listed == *key),
            Signer::OpenPgp { signing, primary } => {
                let listed = normalize_fingerprint(listed);
                !listed.is_empty() && (listed == *signing || listed == *primary)
            }
        }
    }
}

/// An SSH public key line in OpenSSH form without its comment, `None` when it is none.
fn bare_openssh(line: &str) -> Option<String> {
    let mut key = PublicKey::from_openssh(line.trim()).ok()?;
    key.set_comment("");
    key.to_openssh().ok().map(|k| k.trim().to_owned())
}

/// An OpenPGP fingerprint as compared: upper-case hex without spaces; empty when `text` is
/// not 40 (v4) or 64 (v5/v6) hex digits.
pub fn normalize_fingerprint(text: &str) -> String {
    let hex: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let hex = hex.strip_prefix("0X").unwrap_or(&hex).to_owned();
    if matches!(hex.len(), 40 | 64) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex
    } else {
        String::new()
    }
}

/// What a `keys:` entry of the people file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListedKey {
    Ssh,
    OpenPgp,
    /// Neither: the message says why.
    Invalid(String),
}

/// Reads a `keys:` entry.
pub fn classify_key(text: &str) -> ListedKey {
    let text = text.trim();
    if !normalize_fingerprint(text).is_empty() {
        return ListedKey::OpenPgp;
    }
    match PublicKey::from_openssh(text) {
        Ok(_) => ListedKey::Ssh,
        Err(err) if text.starts_with("ssh-") || text.starts_with("ecdsa-") || text.starts_with("sk-") => {
            ListedKey::Invalid(format!("not a readable SSH public key ({err})"))
        }
        Err(_) => ListedKey::Invalid(
            "neither an SSH public key (`ssh-ed25519 AAAA...`) nor an OpenPGP fingerprint (40 hex digits)".to_owned(),
        ),
    }
}

/// Why a signature does not prove who signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unverified {
    /// The signature does not match the commit, or cannot be read.
    Bad(String),
    /// poam cannot check this kind of signature here.
    Unsupported(String),
}

/// Checks `signature` (a commit's `gpgsig`) over `data` (the commit without it).
pub fn verify(
    signature: &[u8],
    data: &[u8],
    openpgp: &mut OpenPgpKeyring,
) -> Result<Signer, Unverified> {
    let text = String::from_utf8_lossy(signature);
    let text = text.trim();
    if text.starts_with("-----BEGIN SSH SIGNATURE-----") {
        verify_ssh(text, data)
    } else if text.starts_with("-----BEGIN PGP SIGNATURE-----") {
        openpgp.verify(signature, data)
    } else if text.starts_with("-----BEGIN SIGNED MESSAGE-----") {
        Err(Unverified::Unsupported(
            "X.509 (gpgsm) signatures are not supported".to_owned(),
        ))
    } else {
        Err(Unverified::Bad(
            "the signature is of no known kind (SSH, OpenPGP)".to_owned(),
        ))
    }
}

fn verify_ssh(armored: &str, data: &[u8]) -> Result<Signer, Unverified> {
    let sig = SshSig::from_pem(armored)
        .map_err(|err| Unverified::Bad(format!("the SSH signature cannot be read ({err})")))?;
    if sig.namespace() != GIT_NAMESPACE {
        return Err(Unverified::Bad(format!(
            "the SSH signature is for namespace `{}`, not `git`",
            sig.namespace()
        )));
    }
    let key = PublicKey::from(sig.public_key().clone());
    key.verify(GIT_NAMESPACE, data, &sig)
        .map_err(|_| Unverified::Bad("the SSH signature does not match the commit".to_owned()))?;
    let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let mut bare = key;
    bare.set_comment("");
    let key = bare
        .to_openssh()
        .map_err(|err| Unverified::Bad(format!("the SSH key cannot be written ({err})")))?;
    Ok(Signer::Ssh {
        key: key.trim().to_owned(),
        fingerprint,
    })
}

/// A temporary `gpg` keyring with the public keys of `approvals.openpgp_keys`, made on first
/// use and removed when dropped.
pub struct OpenPgpKeyring {
    /// The file or folder of public keys.
    source: Option<PathBuf>,
    /// The keyring, once made; `Err` says why it could not be.
    home: Option<Result<tempfile::TempDir, String>>,
    program: String,
}

impl OpenPgpKeyring {
    /// A keyring of the keys in `source` (a file, or a folder whose files are keys), made when
    /// the first OpenPGP signature is checked.
    pub fn new(source: Option<&Path>) -> Self {
        Self {
            source: source.map(Path::to_path_buf),
            home: None,
            program: std::env::var("POAM_GPG").unwrap_or_else(|_| "gpg".to_owned()),
        }
    }

    fn home(&mut self) -> Result<&Path, Unverified> {
        if self.home.is_none() {
            self.home = Some(self.make());
        }
        match &self.home {
            Some(Ok(dir)) => Ok(dir.path()),
            Some(Err(why)) => Err(Unverified::Unsupported(why.clone())),
            None => Err(Unverified::Unsupported("no keyring".to_owned())),
        }
    }

    fn make(&self) -> Result<tempfile::TempDir, String> {
        let Some(source) = &self.source else {
            return Err("OpenPGP signatures need the public keys: set `approvals.openpgp_keys` to a file or folder of them".to_owned());
        };
        let mut files: Vec<PathBuf> = if source.is_dir() {
            std::fs::read_dir(source)
                .map_err(|e| format!("cannot read `{}`: {e}", source.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        } else {
            vec![source.clone()]
        };
        files.sort();
        let home = tempfile::Builder::new()
            .prefix("poam-gpg")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary keyring: {e}"))?;
        let output = Command::new(&self.program)
            .args(["--batch", "--no-tty", "--no-autostart", "--homedir"])
            .arg(home.path())
            .arg("--import")
            .args(&files)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| {
                format!(
                    "OpenPGP signatures are checked with the `{}` program, which cannot be run ({e})",
                    self.program
                )
            })?;
        if !output.status.success() {
            return Err(format!(
                "`{} --import` of `{}` failed: {}",
                self.program,
                source.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(home)
    }

    fn verify(&mut self, signature: &[u8], data: &[u8]) -> Result<Signer, Unverified> {
        let program = self.program.clone();
        let home = self.home()?.to_path_buf();
        let sig_file = home.join("commit.sig");
        std::fs::write(&sig_file, signature)
            .map_err(|e| Unverified::Unsupported(format!("cannot write a temporary file: {e}")))?;
        let mut child = Command::new(&program)
            .args([
                "--batch",
                "--no-tty",
                "--no-autostart",
                "--status-fd",
                "1",
                "--homedir",
            ])
            .arg(&home)
            .arg("--verify")
            .arg(&sig_file)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Unverified::Unsupported(format!("`{program}` cannot be run ({e})")))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A write error shows as a failed verification below.
            let _ = stdin.write_all(data);
        }
        let output = child
            .wait_with_output()
            .map_err(|e| Unverified::Unsupported(format!("`{program}` failed ({e})")))?;
        let status = String::from_utf8_lossy(&output.stdout);
        parse_gpg_status(&status)
    }
}

/// The signer of a `gpg --status-fd` output, as git reads it: `VALIDSIG` only.
fn parse_gpg_status(status: &str) -> Result<Signer, Unverified> {
    let mut valid = None;
    let mut why = None;
    for line in status.lines() {
        let Some(rest) = line.strip_prefix("[GNUPG:] ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        match words.next() {
            Some("VALIDSIG") => {
                let fields: Vec<&str> = words.collect();
                let signing = fields.first().map(|f| normalize_fingerprint(f));
                let primary = fields.get(9).map(|f| normalize_fingerprint(f));
                if let Some(signing) = signing.filter(|s| !s.is_empty()) {
                    let primary = primary.filter(|p| !p.is_empty()).unwrap_or(signing.clone());
                    valid = Some(Signer::OpenPgp { signing, primary });
                }
            }
            Some("BADSIG") => {
                why = Some("the OpenPGP signature does not match the commit".to_owned())
            }
            Some("EXPKEYSIG") => {
                why = Some("the OpenPGP signature was made by an expired key".to_owned())
            }
            Some("REVKEYSIG") => {
                why = Some("the OpenPGP signature was made by a revoked key".to_owned())
            }
            Some("EXPSIG") => why = Some("the OpenPGP signature has expired".to_owned()),
            Some("ERRSIG") | Some("NO_PUBKEY") if why.is_none() => {
                let key = rest.split_whitespace().nth(1).unwrap_or("?");
                why = Some(format!(
                    "the OpenPGP signature was made by key {key}, which is not in `approvals.openpgp_keys`"
                ));
            }
            _ => {}
        }
    }
    match (why, valid) {
        (Some(why), _) => Err(Unverified::Bad(why)),
        (None, Some(signer)) => Ok(signer),
        (None, None) => Err(Unverified::Bad(
            "the OpenPGP signature could not be verified".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_and_gpg_status_are_read_as_git_reads_them() {
        let fpr = "968479A1AFF927E37D1A566BB5690EEEBB952194";
        assert_eq!(
            normalize_fingerprint("9684 79a1 aff9 27e3 7d1a  566b b569 0eee bb95 2194"),
            fpr
        );
        assert_eq!(normalize_fingerprint("B5690EEEBB952194"), "");
        assert_eq!(classify_key(fpr), ListedKey::OpenPgp);
        assert!(matches!(
            classify_key("ssh-ed25519 AAAA"),
            ListedKey::Invalid(_)
        ));
        assert!(matches!(classify_key("jane's key"), ListedKey::Invalid(_)));
        let good = format!(
            "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG B5690EEEBB952194 GitHub\n[GNUPG:] VALIDSIG {fpr} 2026-03-01 1772000000 0 4 0 1 10 00 {fpr}\n"
        );
        assert_eq!(
            parse_gpg_status(&good),
            Ok(Signer::OpenPgp {
                signing: fpr.to_owned(),
                primary: fpr.to_owned()
            })
        );
        // Near misses: a good signature by an expired key; a key not in the keyring.
        let expired = format!("[GNUPG:] EXPKEYSIG B5690EEEBB952194 GitHub\n[GNUPG:] VALIDSIG {fpr} 2026-03-01 1 0 4 0 1 10 00 {fpr}\n");
        assert!(matches!(
            parse_gpg_status(&expired),
            Err(Unverified::Bad(_))
        ));
        let missing = "[GNUPG:] ERRSIG B5690EEEBB952194 1 10 00 1772000000 9 -\n[GNUPG:] NO_PUBKEY B5690EEEBB952194\n";
        assert_eq!(
            parse_gpg_status(missing),
            Err(Unverified::Bad("the OpenPGP signature was made by key B5690EEEBB952194, which is not in `approvals.openpgp_keys`".to_owned()))
        );
    }
}
