-- purgeExpired, for one bucket. KEYS[1] the bucket's timeline, KEYS[2..] the keys of the entries to settle.
-- ARGV[1] now, ARGV[2..] the timeline entries ('f' family id, or 'j' jti), in the order of their keys.
-- Returns {settled, subject, family id, subject, family id, ...}: how many entries it settled (a family deleted, a
-- grace window dropped, a denial deleted, or an entry whose data Redis had already expired), and the families it
-- deleted, for their subjects' indexes.
local now = tonumber(ARGV[1])
local settled = 0
local deleted = {}
for k = 2, #KEYS do
  local member = ARGV[k]
  local key = KEYS[k]
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score and tonumber(score) <= now then
    settled = settled + 1
    if member:sub(1, 1) == 'j' then
      local ok, value = pcall(redis.call, 'GET', key)
      if ok and value and string.match(value, '^%d+$') and tonumber(value) > now then
        redis.call('ZADD', KEYS[1], value, member)
        settled = settled - 1
      else
        if ok then
          redis.call('DEL', key)
        end
        redis.call('ZREM', KEYS[1], member)
      end
    else
      local ok, r = pcall(load, key)
      if not ok or not r then
        -- Gone already, or not a record this store can read: the entry goes, the key is left to its own expiry.
        redis.call('ZREM', KEYS[1], member)
      elseif now >= r.n.ex then
        redis.call('DEL', key)
        redis.call('ZREM', KEYS[1], member)
        table.insert(deleted, r.s)
        table.insert(deleted, member:sub(2))
      elseif r.gu ~= nil and now >= r.n.gu then
        dropGrace(key)
        redis.call('ZADD', KEYS[1], r.ex, member)
      else
        redis.call('ZADD', KEYS[1], due(r), member)
        settled = settled - 1
      end
    end
  end
end
table.insert(deleted, 1, settled)
return deleted
