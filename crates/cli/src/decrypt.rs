//! `eme decrypt`: writes a clear MP4 from a Common Encryption one (cenc, cbcs, cens, cbc1;
//! fragmented or progressive), or describes its encryption with `--info`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use eme_media::{Keys, decrypt_file, describe};

use crate::USAGE_ERROR;

#[derive(Debug, clap::Args)]
pub(crate) struct DecryptArgs {
    /// A content key: 32 hex digits of key ID, a colon, 32 hex digits of key. Repeat for
    /// files with several keys.
    #[arg(long = "key", value_name = "KID:KEY", value_parser = parse_key)]
    keys: Vec<([u8; 16], [u8; 16])>,

    /// Print the tracks, scheme, pattern, IV sizes, key IDs and pssh boxes; decrypt nothing.
    #[arg(long)]
    info: bool,

    /// The encrypted MP4 file.
    #[arg(value_name = "INPUT")]
    input: PathBuf,

    /// Where to write the clear MP4 (not with --info).
    #[arg(value_name = "OUTPUT", required_unless_present = "info")]
    output: Option<PathBuf>,
}

fn parse_key(text: &str) -> Result<([u8; 16], [u8; 16]), String> {
    let (key_id, key) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not KID:KEY"))?;
    Ok((parse_hex(key_id, "key ID")?, parse_hex(key, "key")?))
}

fn parse_hex(text: &str, what: &str) -> Result<[u8; 16], String> {
    eme_cdm::hex::decode(text).ok_or_else(|| format!("the {what} `{text}` is not 32 hex digits"))
}

pub(crate) fn run(args: &DecryptArgs) -> ExitCode {
    let input = match std::fs::read(&args.input) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("eme decrypt: cannot read {}: {error}", args.input.display());
            return ExitCode::from(USAGE_ERROR);
        }
    };
    match decrypt(args, &input) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("eme decrypt: {}: {error:#}", args.input.display());
            ExitCode::FAILURE
        }
    }
}

fn decrypt(args: &DecryptArgs, input: &[u8]) -> Result<()> {
    if args.info {
        print!("{}", describe(input)?);
        return Ok(());
    }
    let Some(output_path) = &args.output else {
        bail!("no OUTPUT file given");
    };
    let mut keys = Keys::new();
    for (key_id, key) in &args.keys {
        if keys
            .insert(*key_id, *key)
            .is_some_and(|earlier| earlier != *key)
        {
            bail!(
                "two different keys given for key ID {}",
                eme_cdm::hex::encode(key_id)
            );
        }
    }
    let (output, report) = decrypt_file(input, &keys)?;
    std::fs::write(output_path, &output)
        .with_context(|| format!("cannot write {}", output_path.display()))?;
    for track in &report.tracks {
        let check = if track.checked {
            ", codec framing checked"
        } else {
            ""
        };
        println!(
            "track {}: {} of {} samples decrypted{check}",
            track.track_id, track.decrypted, track.samples
        );
    }
    println!(
        "wrote {} ({} bytes; {} bytes of protection boxes removed)",
        output_path.display(),
        output.len(),
        report.bytes_removed
    );
    Ok(())
}
