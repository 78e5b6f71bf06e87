//! The `clinkit` command. All the work happens in the library; see `clinkit --help`.

fn main() -> std::process::ExitCode {
    clinkit::cli::main()
}
