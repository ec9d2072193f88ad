import { afterAll } from '@jest/globals';
import { stopLeftoverHarnesses } from './api-harness.js';

// After every integration test file: nothing it started may outlive it (see stopLeftoverHarnesses).
afterAll(() => stopLeftoverHarnesses(), 120_000);
