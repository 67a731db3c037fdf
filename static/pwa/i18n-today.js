// The words of 今日任务 (the inspector's home), part of the one catalogue in i18n.js. Loaded with
// view-today.js rather than precached with the shell; t() is unchanged.
import { addTexts } from './i18n.js';

const zh = {
  today_title: '今日任务',
  today_all_sites: '全部工地',
  today_date: '{date} 的任务',
  today_cached: '离线：{time} 保存',
  today_offline_none: '离线，手机上没有今天的任务。',
  today_summary: '待巡查 {n} 处 · 全程 {distance}',
  today_none: '今天没有任务。',
  today_done: '已完成（{n}）',
  today_skipped: '已跳过（{n}）',
  today_start: '开始巡查',
  today_up: '上移',
  today_down: '下移',
  today_skip: '跳过',
  today_skip_reason: '跳过原因',
  today_skip_note: '说明',
  today_skip_note_needed: '请写明说明。',
  today_cancel: '取消',
  today_queued: '待发送',
  today_reset_order: '恢复推荐顺序',
};

const en = {
  today_title: "Today's list",
  today_all_sites: 'All sites',
  today_date: 'Stops for {date}',
  today_cached: 'Offline: saved {time}',
  today_offline_none: 'Offline: no list for today on this phone.',
  today_summary: '{n} stops to visit · {distance} in all',
  today_none: 'Nothing planned today.',
  today_done: 'Done ({n})',
  today_skipped: 'Skipped ({n})',
  today_start: 'Inspect',
  today_up: 'Move up',
  today_down: 'Move down',
  today_skip: 'Skip',
  today_skip_reason: 'Why skip',
  today_skip_note: 'Note',
  today_skip_note_needed: 'Please write a note.',
  today_cancel: 'Cancel',
  today_queued: 'Waiting to send',
  today_reset_order: 'Suggested order',
};

addTexts({ 'zh-CN': zh, en });
