import { type Command, parseFlags, refuseExtraArguments } from 'ecr-image-updater/cli/command';
import { EXIT } from 'ecr-image-updater/cli/io';
import { runTutorial } from '../tutorial/run-tutorial.ts';

export const demoCommand: Command = {
  name: 'demo',
  accepts: { flags: {} },
  help: `Usage: ecr-image-updater demo

Replays the seed tutorial on embedded local peers, with no AWS account and no Docker: a GitOps
repository with the flask-app chart, flask-app registered to follow flask-app:~1.0, then pushes of
1.0.0, 1.0.2 and a multi-platform 2.0.0 through the same handler the Lambda runs. Prints the timeline,
the final .argocd-source-flask-app.yaml, the git log and the image the real helm renders. Exits 0.

Options:
  -h, --help          this help
`,
  async run(args, io) {
    const { values, positionals } = parseFlags('demo', args, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT.ok;
    }
    refuseExtraArguments('demo', positionals, 0);
    await runTutorial(io.stdout);
    return EXIT.ok;
  },
};
