export const USAGE = `Usage: roost [global options] <command> [arguments]

Global options:
  --data DIR                 data directory (env ROOST_DATA; default: the OS app-data dir)
  --bootstrap HOST:PORT,...  DHT bootstrap nodes (env ROOST_BOOTSTRAP)
  --host ADDR                address the DHT binds to (env ROOST_HOST)
  --json                     machine-readable output (JSON lines)
  -h, --help                 this text

Commands:
  init --name NAME                           create your profile (from 24 fresh words)
  init --link CODE [--timeout 60s]           make this device one of yours, with a code from
                                             \`roost link\` on another: same profile, rooms,
                                             history
  link [--expires 10m]                       a single-use code to link a new device (waits for
                                             it unless \`roost serve\` or the app is running)
  devices                                    your devices, with when each was last seen
  unlink DEVICE                              unlink a lost device: every room ignores its later
                                             writes and it gets no new room keys
  phrase                                     show your profile's 24-word recovery phrase
  restore [--blind-peer KEY] [--timeout 30s] [--name NAME]
                                             bring your profile back from its phrase, read
                                             from standard input (an empty data dir only),
                                             with its rooms, history and settings from any of
                                             your devices or the blind peer that keeps them
  whoami                                     show your profile
  create NAME [--topic TEXT]                 create a room; prints its key
  rooms                                      list your rooms
  invite ROOM [--expires 10m] [--uses N] [--for PROFILE] [--note TEXT]
                                             create an invite; prints the code and link
                                             (--for: it admits that profile alone, the way
                                             back for someone an admin removed)
  invites ROOM                               list a room's invites (the codes of those
                                             made on this device)
  revoke ROOM INVITE_ID                      revoke an invite
  join INVITE [--timeout 30s]                join a room with an invite code or link, or any
                                             text holding one; prints its key
  send ROOM TEXT [--wait]                    send a message; prints its id (--wait: until a
                                             peer has it)
  reply ROOM MESSAGE_ID TEXT                 answer a message
  edit ROOM MESSAGE_ID TEXT                  change the text of your own message
  delete ROOM MESSAGE_ID                     delete your message (admins: anyone's); members'
                                             devices keep only a tombstone in the room
  react ROOM MESSAGE_ID EMOJI [--remove]     react with one emoji, or take it back
  pin ROOM MESSAGE_ID [--remove]             pin or unpin a message (admins)
  pins ROOM                                  list the pinned messages
  search QUERY [--room ROOM] [--limit N]     find messages by their words, in every room (or
                                             one); case and accents do not matter
  send-file ROOM PATH [--text CAPTION] [--wait]
                                             send a file of any size (sealed, streamed); prints
                                             its message id (--wait: once a peer has it)
  files ROOM                                 the room's files and where each stands here
                                             (remote, downloading n%, done PATH)
  download ROOM MESSAGE_ID [--out DIR]       fetch, check and save a file (default: the
                                             downloads folder); resumes what arrived before
  messages ROOM [--limit N] [--before ID | --around ID]
                                             show messages, oldest first (--around: the page
                                             around a message, as a search hit or a pin)
  tail ROOM                                  print new messages as they arrive, and messages
                                             again when edited, deleted, reacted to or pinned,
                                             until Ctrl-C
  members ROOM                               list a room's members
  remove ROOM PROFILE                        remove a member (admins): they can no longer read
                                             new messages or write
  role ROOM PROFILE admin|member             make a member an admin, or an admin a member
  leave ROOM                                 leave the room for good (the last admin must make
                                             someone else admin first)
  status                                     connection state of every room: peers, direct or
                                             relayed (through which relay), round-trip times,
                                             and why nobody is reachable
  serve [--web [--port 7373]]                stay online for all rooms and log peers
                                             (--web: also serve the app to a browser on 127.0.0.1)
  mirror ROOM KEY                            have a blind peer keep the room (admins)
  mirrors ROOM                               list a room's blind peers and how synced they are
  unmirror ROOM KEY                          stop using a blind peer for the room (admins)
  config [blind-peer KEY|none]               show settings, or set the blind peer for new rooms
  config relay KEY|none                      use a blind peer as relay when a direct connection
                                             cannot work (rooms' blind peers are used too)

ROOM is a room key or a unique room name; PROFILE a profile id, its first characters (the
suffix shown beside a shared name) or a unique member name. Commands use the running core (serve, the app)
on the same data dir when there is one.`
