/**
 * The benchmark stacks as a CDK app for the CDK CLI (bench/run.ts times `cdk synth --app 'node cli-app.js <variant> <size>'`
 * as a whole process, compiled to JavaScript):
 *
 *   node cli-app.js <l1|l1nested|l2> <size>
 *
 * Writes where the CLI says (CDK_OUTDIR).
 */
import { App } from 'aws-cdk-lib';
import { builder } from './child';

const [variant, size] = process.argv.slice(2);
const app = new App();
builder(variant)(app, `Bench${variant.toUpperCase()}`, Number(size));
app.synth();
