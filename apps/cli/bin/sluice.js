#!/usr/bin/env node
// The `sluice` command: a committed entry, so that npm links it at install time, before the build
// has made dist/ (npm skips a bin whose file does not exist yet).
import '../dist/main.js';
