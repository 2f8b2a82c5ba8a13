// Inlined by the bundler (only this field): reports and SARIF name the plugin version that judged.
import {version} from '../../package.json';

export const VERSION: string = version;
