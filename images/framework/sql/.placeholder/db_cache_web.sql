-- Placeholder used only while images/framework/sql/<version>/db_cache_web.sql is missing.

SET NAMES utf8;
SET FOREIGN_KEY_CHECKS = 0;

DROP TABLE IF EXISTS `t_apply_app_base`;
CREATE TABLE `t_apply_app_base` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `status` int(4) NOT NULL DEFAULT '1',
  `idc_area` varchar(50) NOT NULL DEFAULT '',
  `set_area` varchar(50) NOT NULL DEFAULT '',
  `admin` varchar(255) NOT NULL DEFAULT '',
  `name` varchar(100) NOT NULL DEFAULT '',
  `create_person` varchar(50) NOT NULL DEFAULT '',
  `modify_time` datetime DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

DROP TABLE IF EXISTS `t_apply_cache_module_base`;
CREATE TABLE `t_apply_cache_module_base` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `status` int(4) NOT NULL DEFAULT '0',
  `area` varchar(50) DEFAULT '',
  `apply_id` int(11) NOT NULL,
  `cache_version` int(4) DEFAULT '1',
  `mkcache_struct` int(4) DEFAULT '0',
  `follower` varchar(255) NOT NULL DEFAULT '',
  `create_person` varchar(50) NOT NULL DEFAULT '',
  `modify_time` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

DROP TABLE IF EXISTS `t_region`;
CREATE TABLE `t_region` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `region` varchar(50) NOT NULL,
  `label` varchar(50) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `region` (`region`),
  UNIQUE KEY `label` (`label`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

SET FOREIGN_KEY_CHECKS = 1;
