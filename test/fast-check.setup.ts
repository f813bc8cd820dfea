/**
 * Property tests draw from a fixed seed, so a run of the suite is reproducible: a counterexample
 * found once is found every time (files may still set their own seed and run count).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261121 });
