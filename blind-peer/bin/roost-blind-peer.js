#!/usr/bin/env node
import { main } from '../../dist/blind-peer/main.js'

process.exitCode = await main(process.argv.slice(2))
