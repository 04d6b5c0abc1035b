-- createFamily. KEYS[1] the family, KEYS[2] its bucket's timeline.
-- ARGV: family id, subject, client id, scopes, claims JSON, created, absolute expiry, first hash, idle expiry,
-- key base of the bucket (for tidying the timeline).
-- Returns {'A'} when created (or when this very creation had already applied), {'E'} when another family has the id.
local r = load(KEYS[1])
if r then
  if r.g == '0' and r.h == ARGV[8] and r.s == ARGV[2] and r.ca == ARGV[6] and r.ex == ARGV[7] then
    return {'A'}
  end
  return {'E'}
end
redis.call('HSET', KEYS[1], 's', ARGV[2], 'c', ARGV[3], 'o', ARGV[4], 'j', ARGV[5], 'ca', ARGV[6], 'ex', ARGV[7],
    'g', '0', 'h', ARGV[8], 'i', ARGV[9])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
schedule(KEYS[2], 'f' .. ARGV[1], ARGV[7])
-- A forgotten purge must not let timelines grow: drop up to two due entries whose data Redis already expired.
if redis.call('TYPE', KEYS[2])['ok'] == 'zset' then
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[6], 'LIMIT', 0, 2)) do
    local target = ARGV[10] .. member:sub(1, 1) .. ':' .. member:sub(2)
    if redis.pcall('EXISTS', target) == 0 then
      redis.call('ZREM', KEYS[2], member)
    end
  end
end
return {'A'}
