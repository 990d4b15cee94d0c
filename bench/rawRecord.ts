/** The overhead benchmark's baseline: rrweb's record with default options and a no-op sink. */
import { record } from '@rrweb/record';

record({ emit() {} });
