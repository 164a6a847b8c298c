'use strict';
// The exit codes of `login-claims` and the error that carries one. A CliError is an expected
// failure: its message is for the user, its exit code for scripts. Anything else that reaches
// the entry is a bug and exits EXIT_FAILED with its stack.

const EXIT_OK = 0;
/** A problem was found: invalid input, an Action that cannot load, a run that differs from --expect. */
const EXIT_INVALID = 1;
/** Usage: unknown command or option, missing, repeated or conflicting argument, refused flag value. */
const EXIT_USAGE = 2;
/** The run itself failed: the sample tenant or the playground could not start, or a bug. */
const EXIT_FAILED = 3;

class CliError extends Error {
  /**
   * @param {number} exitCode
   * @param {string} message one line, printed after "login-claims: "
   * @param {string[]} [lines] more lines printed below it
   */
  constructor(exitCode, message, lines = []) {
    super(message);
    this.exitCode = exitCode;
    this.lines = lines;
  }
}

/** A usage mistake; `command` names the subcommand whose --help to point to. */
function usageError(message, command) {
  const help = command ? `login-claims ${command} --help` : 'login-claims --help';
  return new CliError(EXIT_USAGE, message, [`Run '${help}' for usage.`]);
}

const inputError = (message, lines) => new CliError(EXIT_INVALID, message, lines);
const runError = (message, lines) => new CliError(EXIT_FAILED, message, lines);

module.exports = { EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_FAILED, CliError, usageError, inputError, runError };
