//! `eme bench decrypt`: the sample decryptor's throughput next to OpenSSL's, measured in the
//! same run so that the ratio, not the machine, is what a reader compares.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use eme_cdm::decrypt::{Pattern, SampleCipher, SampleEncryption, Scheme, Subsample};

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    #[command(subcommand)]
    what: BenchTarget,
}

#[derive(Debug, clap::Subcommand)]
enum BenchTarget {
    /// Throughput of cenc and cbcs sample decryption against `openssl speed`.
    Decrypt {
        /// How long each measurement runs.
        #[arg(long, value_name = "SECONDS", default_value = "1")]
        seconds: f64,
    },
}

pub(crate) fn run(args: &BenchArgs) -> ExitCode {
    let BenchTarget::Decrypt { seconds } = args.what;
    match bench_decrypt(Duration::from_secs_f64(seconds.clamp(0.05, 60.0))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("eme bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

const MIB: usize = 1 << 20;
const KEY: [u8; 16] = *b"bench-key-16byte";
const KEY_ID: [u8; 16] = [0x42; 16];
const IV: [u8; 16] = [0x17; 16];

/// One measured layout: a sample of `size` bytes split into `subsamples` (empty = all
/// protected), decrypted with `scheme` and `pattern`.
struct Case {
    name: &'static str,
    scheme: Scheme,
    pattern: Option<Pattern>,
    subsamples: Vec<Subsample>,
    size: usize,
    /// The OpenSSL cipher and buffer size this case is compared with.
    reference: Reference,
}

impl Case {
    /// The share of the sample's bytes that the scheme encrypts: every protected byte for
    /// the CTR scheme without pattern; under a pattern, the whole blocks of each complete
    /// crypt run (a final run shorter than the crypt count stays clear, as Packager writes it).
    fn encrypted_fraction(&self) -> f64 {
        let ranges: Vec<u64> = if self.subsamples.is_empty() {
            vec![self.size as u64]
        } else {
            self.subsamples
                .iter()
                .map(|s| u64::from(s.protected_bytes))
                .collect()
        };
        let encrypted: u64 = ranges
            .iter()
            .map(|&len| match (self.scheme, self.pattern) {
                (Scheme::Cbcs | Scheme::Cens, Some(p)) if p.crypt_byte_block > 0 => {
                    let (crypt, period) = (
                        u64::from(p.crypt_byte_block),
                        u64::from(p.crypt_byte_block) + u64::from(p.skip_byte_block),
                    );
                    let blocks = len / 16;
                    let whole_periods = blocks / period;
                    let tail = blocks % period;
                    16 * (whole_periods * crypt + if tail >= crypt { crypt } else { 0 })
                }
                (Scheme::Cbcs | Scheme::Cbc1 | Scheme::Cens, _) => len / 16 * 16,
                _ => len,
            })
            .sum();
        encrypted as f64 / self.size as f64
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Reference {
    Ctr(usize),
    CbcDecrypt(usize),
}

impl Reference {
    fn label(self) -> String {
        match self {
            Self::Ctr(bytes) => format!("openssl aes-128-ctr, {}", size_label(bytes)),
            Self::CbcDecrypt(bytes) => {
                format!("openssl -decrypt aes-128-cbc, {}", size_label(bytes))
            }
        }
    }
}

fn size_label(bytes: usize) -> String {
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

/// A video-like layout: five NAL units, each a 1000-byte clear header and 2 KiB of protected
/// slice data (5 × 1000 B clear + 10 KiB protected).
fn realistic_subsamples() -> (Vec<Subsample>, usize) {
    let subsamples = vec![
        Subsample {
            clear_bytes: 1000,
            protected_bytes: 2048,
        };
        5
    ];
    (subsamples, 5 * (1000 + 2048))
}

fn cases() -> Vec<Case> {
    let (layout, layout_size) = realistic_subsamples();
    let whole_blocks = Some(Pattern {
        crypt_byte_block: 0,
        skip_byte_block: 0,
    });
    let one_in_ten = Some(Pattern {
        crypt_byte_block: 1,
        skip_byte_block: 9,
    });
    vec![
        Case {
            name: "cenc 1 MiB",
            scheme: Scheme::Cenc,
            pattern: None,
            subsamples: Vec::new(),
            size: MIB,
            reference: Reference::Ctr(MIB),
        },
        Case {
            name: "cenc 5 × (1000 B clear + 2 KiB protected)",
            scheme: Scheme::Cenc,
            pattern: None,
            subsamples: layout.clone(),
            size: layout_size,
            reference: Reference::Ctr(16 * 1024),
        },
        Case {
            name: "cbcs 1 MiB, pattern 0:0 (every block)",
            scheme: Scheme::Cbcs,
            pattern: whole_blocks,
            subsamples: Vec::new(),
            size: MIB,
            reference: Reference::CbcDecrypt(MIB),
        },
        Case {
            name: "cbcs 1 MiB, pattern 1:9 (a tenth of the blocks)",
            scheme: Scheme::Cbcs,
            pattern: one_in_ten,
            subsamples: Vec::new(),
            size: MIB,
            reference: Reference::CbcDecrypt(MIB),
        },
        Case {
            name: "cbcs 5 × (1000 B clear + 2 KiB protected), 1:9",
            scheme: Scheme::Cbcs,
            pattern: one_in_ten,
            subsamples: layout,
            size: layout_size,
            reference: Reference::CbcDecrypt(16 * 1024),
        },
    ]
}

fn bench_decrypt(duration: Duration) -> Result<()> {
    println!(
        "eme bench decrypt — {} s per measurement, GB = 10^9 bytes. `sample` counts every byte \
         of the sample (what playback needs per second); `encrypted` counts only the bytes the \
         scheme encrypts (what OpenSSL's figure counts). Ratios are against OpenSSL.",
        duration.as_secs_f64()
    );
    println!(
        "{:<50} {:>12} {:>7} {:>15} {:>7}  reference",
        "case", "sample", "ratio", "encrypted", "ratio"
    );
    let mut references: Vec<(Reference, f64)> = Vec::new();
    for case in cases() {
        let ours = measure_case(&case, duration)?;
        let theirs = match references
            .iter()
            .find(|(reference, _)| *reference == case.reference)
        {
            Some((_, rate)) => *rate,
            None => {
                let rate = openssl_rate(case.reference, duration)?;
                references.push((case.reference, rate));
                rate
            }
        };
        let encrypted = ours * case.encrypted_fraction();
        println!(
            "{:<50} {:>7.2} GB/s {:>6.2}x {:>10.2} GB/s {:>6.2}x  {} = {:.2} GB/s",
            case.name,
            ours / 1e9,
            ours / theirs,
            encrypted / 1e9,
            encrypted / theirs,
            case.reference.label(),
            theirs / 1e9
        );
    }
    Ok(())
}

/// Bytes of sample decrypted per second, with the key expanded once as playback does. The
/// sample is encrypted once, then decrypted in place over and over (decrypting bytes that are
/// already plaintext costs the same).
fn measure_case(case: &Case, duration: Duration) -> Result<f64> {
    let cipher = SampleCipher::new(&KEY);
    let encryption = SampleEncryption {
        scheme: case.scheme,
        key_id: KEY_ID,
        iv: &IV,
        pattern: case.pattern,
        subsamples: &case.subsamples,
    };
    let mut sample: Vec<u8> = (0..case.size).map(|i| (i * 31 % 251) as u8).collect();
    let original = sample.clone();
    cipher
        .encrypt(&encryption, &mut sample)
        .context("encrypting the bench sample")?;
    let mut check = sample.clone();
    cipher
        .decrypt(&encryption, &mut check)
        .context("decrypting the bench sample")?;
    if check != original {
        bail!("{}: decrypting did not give back the plaintext", case.name);
    }
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < duration {
        for _ in 0..8 {
            cipher.decrypt(&encryption, std::hint::black_box(&mut sample))?;
        }
        rounds += 8;
    }
    Ok(rounds as f64 * case.size as f64 / start.elapsed().as_secs_f64())
}

/// OpenSSL's rate in bytes per second, from `openssl speed -mr` (machine-readable: the line
/// `+F:<n>:<cipher>:<bytes per second>`).
fn openssl_rate(reference: Reference, duration: Duration) -> Result<f64> {
    let seconds = duration.as_secs().max(1).to_string();
    let mut command = Command::new("openssl");
    command.args(["speed", "-mr", "-elapsed", "-seconds", &seconds]);
    let (bytes, cipher) = match reference {
        Reference::Ctr(bytes) => (bytes, "aes-128-ctr"),
        Reference::CbcDecrypt(bytes) => {
            command.arg("-decrypt");
            (bytes, "aes-128-cbc")
        }
    };
    command.args(["-bytes", &bytes.to_string(), "-evp", cipher]);
    let output = command.output().context(
        "running `openssl speed` (install OpenSSL's command-line tool for the reference)",
    )?;
    if !output.status.success() {
        bail!(
            "`openssl speed` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .filter_map(|line| line.strip_prefix("+F:"))
        .find_map(|fields| fields.rsplit(':').next()?.parse::<f64>().ok())
        .with_context(|| format!("no +F: line in `openssl speed -mr` output: {text}"))
}
