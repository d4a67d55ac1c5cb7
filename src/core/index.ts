export { Roost, createRoost, type RoostOptions } from './roost.js'
export { connectControl, controlSocketPath } from './control/control-server.js'
export { parseBootstrap } from './network/network.js'
