'use strict';
// The help texts: `login-claims --help` lists the commands, `login-claims COMMAND --help` (or
// `login-claims help COMMAND`) gives one command's usage and options. README.md shows the first
// one byte for byte, and tests/js/readme.test.js checks that it does.

const EXIT_CODES = `Exit codes
  0  done (validate: no problem found; simulate --expect: the run matched)
  1  a problem was found: validate found problems; an input file is missing, unreadable, not
     JSON or invalid; the Action file cannot load or creates no handler; the run differs
     from --expect
  2  usage error: unknown command or option, missing, repeated or conflicting argument, or a
     flag value the runtime refuses (--on-error, --timeout-ms, --deadline-ms)
  3  the run itself failed (the sample tenant or the playground could not start, or a bug)`;

const TOP = `login-claims: see which claims your Auth0 post-login Action gives each kind of login, and why.

Usage
  login-claims simulate --event FILE [--action FILE | --config FILE] [options]
  login-claims validate (--action FILE | --config FILE) [--json]
  login-claims init [DIR] [--force]
  login-claims demo
  login-claims playground [--port PORT]
  login-claims COMMAND --help     the usage and options of one command
  login-claims --help | --version

Commands
  simulate    Runs one login (a post-login event, JSON) through your Action, or a
              configuration, and prints the ID-token and access-token claims, whether the
              login was denied, and the trace of reasons; --expect FILE compares them with
              the claims you expect.
  validate    Lists every problem of a configuration (a JSON file, or the one your Action
              passes to createPostLoginHandler) with its fix.
  init        Writes a working Action, an example login, its expected claims and a unit
              test into DIR (default: the current directory).
  demo        Runs the bundled example logins (examples/) through a sample tenant on
              127.0.0.1 and prints the claims and reasons of each.
  playground  Serves the playground on 127.0.0.1: editors for the configuration, the event
              and the MFA methods, with the claims, the trace and the issues as you type.

${EXIT_CODES}

Colour only when standard output is a terminal; NO_COLOR turns it off, FORCE_COLOR on.
`;

/** @param {string[]} secretNames the Action's secrets the CLI reads from the environment */
function simulateHelp(secretNames) {
  const names = wrapList(secretNames, 58, '                     ');
  return `login-claims simulate: runs one login exactly as the Action would, and prints what it got.

Usage
  login-claims simulate --event FILE [--action FILE | --config FILE] [--secrets FILE]
                        [--tenant FILE] [--on-error continue|deny] [--timeout-ms N]
                        [--deadline-ms N] [--expect FILE] [--json]

Options
  --event FILE       the post-login event (JSON): the \`event\` your Action receives (required)
  --action FILE      your Action file (CommonJS). It is loaded with require('login-claims')
                     resolved to this CLI's runtime; its own exports.onExecutePostLogin runs
                     the login, so the claims shown are the ones it sets. The trace comes from
                     simulatePostLogin with the configuration and options the file passes to
                     createPostLoginHandler (which it must call exactly once).
  --config FILE      a configuration (JSON) instead of an Action; with neither, the default: {}
  --secrets FILE     event.secrets for the run: a JSON object of secret name to string.
                     Without it, the environment variables named like the Action's secrets
                     that are set:
${names}
                     Their values are never printed.
  --tenant FILE      answers Management API lookups from a sample tenant on 127.0.0.1
                     holding the users of FILE; its secrets replace the Management API ones
  --on-error continue|deny
                     what a failed lookup does to the login (the handler option onError)
  --timeout-ms N     the longest one HTTP request may take (the handler option timeoutMs)
  --deadline-ms N    all network work of one login (the handler option deadlineMs)
                     These three override the Action's own options; the runtime checks them.
  --expect FILE      compares the run with the expected claims in FILE (below): prints one
                     line when they match, else a diff (- expected, + got), and exits 1
  --json             prints {idToken, accessToken, denied, denyReason?, trace,
                     managementApiCalls, log}, and with --expect also
                     expect: {file, matched, differences}
  -h, --help         this help

Expected claims (--expect FILE)
  {
    "idToken": { "phone_number": "+14155550123", "phone_number_verified": true },
    "accessToken": { "https://my-app.example.com/roles": ["member"] },
    "reasons": {
      "idToken": { "phone_number": "phone_found" },
      "accessToken": { "https://my-app.example.com/roles": "value_copied" }
    },
    "denied": false
  }
  idToken and accessToken are required and compared whole. reasons and denied are compared
  when present: a reason is the one that decided the claim (its last trace entry that is not
  "noted"), a list of reasons is every trace entry of the claim in order.

simulate exits 0 whenever the login could be simulated, whatever claims it got (with --expect:
when they match); a failed lookup is part of the answer. With --action the login runs twice:
once through the Action, once through simulatePostLogin for the trace.
`;
}

const VALIDATE = `login-claims validate: lists every problem of a configuration with its fix.

Usage
  login-claims validate --config FILE [--json]
  login-claims validate --action FILE [--json]

Options
  --config FILE  the configuration (JSON)
  --action FILE  your Action file (CommonJS): validates the configuration it passes to
                 createPostLoginHandler (which it must call exactly once, and export
                 onExecutePostLogin), and the runtime checks the options it passes
  --json         prints {ok, issues, managementApi} (and optionsError when the runtime
                 refuses the Action's options)
  -h, --help     this help

Exits 0 when there is no problem (warnings do not count), 1 when there is.
`;

const INIT = `login-claims init: starts a project for a post-login Action.

Usage
  login-claims init [DIR] [--force]

Writes into DIR (default: the current directory; created when missing):
  action.js       the Action (it calls createPostLoginHandler and exports its configuration)
  event.json      an example login: authorization code, with the phone scope
  expected.json   the claims that login should get, in the --expect format of simulate
  action.test.js  a unit test (node --test) that runs the Action's configuration on
                  event.json through simulatePostLogin and compares it with expected.json
  package.json    only when DIR has none: dependencies login-claims, devDependencies
                  login-claims-cli, and "test": "node --test"

Options
  --force        overwrite action.js, event.json, expected.json and action.test.js when they
                 exist (package.json is never overwritten); without it, init writes nothing
                 and exits 1 when one of them exists
  -h, --help     this help
`;

const DEMO = `login-claims demo: the bundled example logins, through a sample tenant on 127.0.0.1.

Usage
  login-claims demo

Runs each login of examples/demo.json through examples/config.json, with a sample tenant on
127.0.0.1 holding the users of examples/tenant.json, and prints the claims and reasons of each;
then validates examples/config-with-mistakes.json, and delivers one MFA code through a local
Twilio Verify stand-in. Takes no options but -h, --help.
`;

const PLAYGROUND = `login-claims playground: the same decisions in a browser.

Usage
  login-claims playground [--port PORT]

Serves the playground on 127.0.0.1 and prints its URL: a page with editors for the
configuration, the event and the MFA methods, showing the claims, the trace and the
configuration issues as you type, decided by the same wasm in the browser. Nothing leaves the
page. Ctrl-C stops it.

Options
  --port PORT    the port (default 0: any free port)
  -h, --help     this help
`;

function wrapList(words, room, indent) {
  const lines = [];
  let line = '';
  for (const word of words.map((w, i) => (i < words.length - 1 ? `${w},` : w))) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

module.exports = { TOP, simulateHelp, VALIDATE, INIT, DEMO, PLAYGROUND };
